"use client";

import Link from "next/link";
import { type FormEvent, useState } from "react";
import { AUTH_LINK_CLASS } from "@/features/auth/auth-frame.tsx";
import { PasswordField } from "@/features/auth/password-field.tsx";
import { BffError, bff, retryAdvice } from "@/lib/bff-client.ts";

/**
 * Sets a new password with the token of a reset link. Opening the page spends nothing: only the
 * form does. Success ends every session (this browser's cookies go too) and leads to sign-in.
 */
export function ResetPasswordForm({ token }: { token: string }) {
  const [isPending, setIsPending] = useState(false);
  const [isLinkDead, setIsLinkDead] = useState(token === "");
  const [message, setMessage] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]>>({});

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (isPending) return;
    const newPassword = String(new FormData(event.currentTarget).get("newPassword") ?? "");
    setIsPending(true);
    setMessage(null);
    setFieldErrors({});
    try {
      await bff("/api/auth/password/reset", {
        method: "POST",
        body: { token, newPassword },
        redirectOnUnauthorized: false,
      });
      window.location.assign("/signin?reason=password-reset");
    } catch (error) {
      setIsPending(false);
      if (!(error instanceof BffError)) throw error;
      if (error.status === 400 && error.problem?.code === "invalid_token") return setIsLinkDead(true);
      setFieldErrors(error.fieldErrors);
      setMessage(
        error.status === 429
          ? `Too many attempts. ${retryAdvice(error.retryAfterSeconds)}`
          : error.status === 422
            ? "Please choose another password."
            : error.message,
      );
    }
  }

  if (isLinkDead) {
    return (
      <div role="alert" className="space-y-4">
        <p className="text-slate-800 dark:text-slate-200">
          This reset link has expired or was already used. A link works once, for 30 minutes, and only the newest one
          you asked for counts.
        </p>
        <p>
          <Link href="/forgot-password" className={AUTH_LINK_CLASS}>
            Ask for a new link
          </Link>
        </p>
      </div>
    );
  }

  return (
    <form className="space-y-4" noValidate onSubmit={onSubmit}>
      <PasswordField
        label="New password"
        name="newPassword"
        autoComplete="new-password"
        errors={fieldErrors.newPassword}
        hint="At least 8 characters. Every device signed in to your account will be signed out."
      />
      <div role="alert" aria-live="assertive" className="text-sm text-red-700 empty:hidden dark:text-red-400">
        {message}
      </div>
      <button type="submit" className="btn-primary w-full" disabled={isPending} aria-disabled={isPending}>
        {isPending ? "Setting password…" : "Set new password"}
      </button>
    </form>
  );
}
