import type { Metadata } from "next";
import { VerifyEmailForm } from "@/features/account-mail/verify-email-form.tsx";
import { AuthFrame } from "@/features/auth/auth-frame.tsx";

export const metadata: Metadata = { title: "Confirm email", referrer: "no-referrer" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/** `/verify-email?token=…` – the page a confirmation email links to; only its button spends the token. */
export default async function VerifyEmailPage({ searchParams }: Props) {
  const { token } = await searchParams;
  return (
    <AuthFrame title="Confirm your email">
      <VerifyEmailForm token={typeof token === "string" ? token : ""} />
    </AuthFrame>
  );
}
