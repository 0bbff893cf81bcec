import { MfaMethod } from "@taskvault/contract/mfa";
import type { Metadata } from "next";
import { loadAuthConfig } from "@/features/auth/auth-config.server.ts";
import { AuthForm } from "@/features/auth/auth-form.tsx";
import { loadOidcConfig } from "@/features/sso/sso-config.server.ts";
import { describeSsoFailure } from "@/features/sso/sso-messages.ts";
import { safeNextPath } from "@/lib/safe-next.ts";

export const metadata: Metadata = { title: "Sign in" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const NOTICES: Record<string, string> = {
  expired: "Your session has ended. Please sign in again.",
  "signed-out": "You have been signed out.",
  deleted: "Your account has been deleted.",
  "password-reset": "Your password has been changed and every device signed out. Sign in with your new password.",
};

export default async function SignInPage({ searchParams }: Props) {
  const [{ next, reason, step }, config, sso] = await Promise.all([searchParams, loadAuthConfig(), loadOidcConfig()]);
  const notice = typeof reason === "string" ? (NOTICES[reason] ?? describeSsoFailure(reason, sso.name) ?? null) : null;
  return (
    <AuthForm
      mode="signin"
      next={safeNextPath(typeof next === "string" ? next : null)}
      notice={notice}
      signupOpen={config.signup === "open"}
      ssoName={sso.enabled ? sso.name : null}
      initialSecondStep={secondStepOf(step)}
    />
  );
}

/**
 * `?step=totp,passkey`: a single sign-on whose account still wants its second factor (the pending
 * mfaToken is in its HttpOnly cookie). Only the method names come through the URL.
 */
function secondStepOf(step: string | string[] | undefined): MfaMethod[] | null {
  if (typeof step !== "string") return null;
  const methods = step.split(",").flatMap((value) => {
    const method = MfaMethod.safeParse(value);
    return method.success ? [method.data] : [];
  });
  return methods.length > 0 ? methods : null;
}
