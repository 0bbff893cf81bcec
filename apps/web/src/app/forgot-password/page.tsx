import type { Metadata } from "next";
import { ForgotPasswordForm } from "@/features/account-mail/forgot-password-form.tsx";
import { AuthFrame } from "@/features/auth/auth-frame.tsx";

export const metadata: Metadata = { title: "Forgot password" };

/** `/forgot-password` – ask for a reset link by email. */
export default function ForgotPasswordPage() {
  return (
    <AuthFrame title="Reset your password">
      <ForgotPasswordForm />
    </AuthFrame>
  );
}
