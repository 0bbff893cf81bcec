"use client";

import Link from "next/link";
import { type FormEvent, useState } from "react";
import { AUTH_LINK_CLASS } from "@/features/auth/auth-frame.tsx";
import { TextField } from "@/features/auth/text-field.tsx";
import { BffError, bff, retryAdvice } from "@/lib/bff-client.ts";

/**
 * Asks for a reset link. The answer is the same whether or not an account uses the address (the
 * API never says), so the page says the same too.
 */
export function ForgotPasswordForm() {
  const [isPending, setIsPending] = useState(false);
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]>>({});

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (isPending) return;
    const email = String(new FormData(event.currentTarget).get("email") ?? "").trim();
    setIsPending(true);
    setMessage(null);
    setSentTo(null);
    setFieldErrors({});
    try {
      await bff("/api/auth/password/forgot", { method: "POST", body: { email }, redirectOnUnauthorized: false });
      setSentTo(email);
    } catch (error) {
      if (!(error instanceof BffError)) throw error;
      setFieldErrors(error.fieldErrors);
      setMessage(
        error.status === 429
          ? `Too many reset requests. ${retryAdvice(error.retryAfterSeconds)}`
          : error.status === 422
            ? "Please enter a valid email address."
            : error.message,
      );
    } finally {
      setIsPending(false);
    }
  }

  return (
    <>
      <p className="mb-4 text-sm text-slate-700 dark:text-slate-300">
        Enter the email address of your account and we will send you a link to set a new password.
      </p>
      <form className="space-y-4" noValidate onSubmit={onSubmit}>
        <TextField label="Email" name="email" type="email" autoComplete="email" required errors={fieldErrors.email} />
        <p role="status" aria-live="polite" className="text-sm text-emerald-800 empty:hidden dark:text-emerald-300">
          {sentTo
            ? `If an account uses ${sentTo}, a link to reset its password is on its way. It works for 30 minutes. Check your inbox (and spam folder).`
            : null}
        </p>
        <div role="alert" aria-live="assertive" className="text-sm text-red-700 empty:hidden dark:text-red-400">
          {message}
        </div>
        <button type="submit" className="btn-primary w-full" disabled={isPending} aria-disabled={isPending}>
          {isPending ? "Sending…" : "Send reset link"}
        </button>
      </form>
      <p className="mt-4 text-sm">
        <Link href="/signin" className={AUTH_LINK_CLASS}>
          Back to sign in
        </Link>
      </p>
    </>
  );
}
