"use client";

import { useResendVerification } from "./use-resend-verification.ts";

/** Shown on signed-in pages while the account's address is not confirmed. */
export function VerifyEmailBanner({ email }: { email: string }) {
  const { resend, isPending, status } = useResendVerification();
  return (
    <section
      aria-label="Confirm your email"
      className="mb-4 flex flex-wrap items-center gap-3 rounded-lg bg-amber-50 p-3 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100"
    >
      <p className="flex-1">
        Confirm your email address: open the link we sent to <strong>{email}</strong>.
      </p>
      <button type="button" className="btn-secondary" disabled={isPending} onClick={resend}>
        Resend
      </button>
      <p role="status" aria-live="polite" className="w-full empty:hidden">
        {status?.message}
      </p>
    </section>
  );
}
