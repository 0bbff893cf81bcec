import type { Metadata } from "next";
import { ResetPasswordForm } from "@/features/account-mail/reset-password-form.tsx";
import { AuthFrame } from "@/features/auth/auth-frame.tsx";

export const metadata: Metadata = { title: "Set a new password", referrer: "no-referrer" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/** `/reset-password?token=…` – the page a reset email links to; only its form spends the token. */
export default async function ResetPasswordPage({ searchParams }: Props) {
  const { token } = await searchParams;
  return (
    <AuthFrame title="Set a new password">
      <ResetPasswordForm token={typeof token === "string" ? token : ""} />
    </AuthFrame>
  );
}
