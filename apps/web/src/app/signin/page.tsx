import type { Metadata } from "next";
import { loadAuthConfig } from "@/features/auth/auth-config.server.ts";
import { AuthForm } from "@/features/auth/auth-form.tsx";
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
  const [{ next, reason }, config] = await Promise.all([searchParams, loadAuthConfig()]);
  const notice = typeof reason === "string" ? (NOTICES[reason] ?? null) : null;
  return (
    <AuthForm
      mode="signin"
      next={safeNextPath(typeof next === "string" ? next : null)}
      notice={notice}
      signupOpen={config.signup === "open"}
    />
  );
}
