"use client";

import { type FormEvent, useState } from "react";
import { TextField } from "@/features/auth/text-field.tsx";
import { describeStepUpFailure } from "@/features/mfa/failure-messages.ts";
import { readStepUpProof, StepUpFields } from "@/features/mfa/step-up-fields.tsx";
import type { StepUpMethods } from "@/features/mfa/step-up-proof.ts";
import { BffError, bff, retryAdvice } from "@/lib/bff-client.ts";
import { FormStatus, SettingsCard } from "../settings/settings-card.tsx";
import { useResendVerification } from "./use-resend-verification.ts";

/**
 * The address, whether it is confirmed, a fresh link while it is not, and a change of address
 * (confirmed from the new inbox: nothing changes until then).
 */
export function EmailSettings({
  email,
  emailVerified,
  stepUp,
}: {
  email: string;
  emailVerified: boolean;
  /** The password confirms the change; an account without one confirms with a second factor. */
  stepUp: StepUpMethods;
}) {
  const verification = useResendVerification();
  const [isPending, setIsPending] = useState(false);
  const [status, setStatus] = useState<{ tone: "ok" | "error"; message: string } | null>(null);
  const [errors, setErrors] = useState<Record<string, string[]>>({});

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const newEmail = String(data.get("email") ?? "").trim();
    setIsPending(true);
    setStatus(null);
    setErrors({});
    try {
      await bff("/api/me/email", {
        method: "PUT",
        body: { email: newEmail, ...(await readStepUpProof(data)) },
        // A wrong password or code is a 401 from the API, not an ended session (the BFF relays it as such).
        redirectOnUnauthorized: false,
      });
      form.reset();
      setStatus({
        tone: "ok",
        message: `Check your new inbox: we sent a confirmation link to ${newEmail}. Your email changes when you open it.`,
      });
    } catch (error) {
      if (error instanceof BffError) {
        setErrors(error.fieldErrors);
        setStatus({ tone: "error", message: describeFailure(error) });
      } else {
        // Not the BFF's answer: a passkey as the proof whose ceremony did not finish.
        setStatus({ tone: "error", message: describeStepUpFailure(error) });
      }
    } finally {
      setIsPending(false);
    }
  }

  return (
    <SettingsCard title="Email" description="Where Taskvault sends password resets, security notices and reminders.">
      <p className="flex flex-wrap items-center gap-2 text-sm">
        <span className="font-medium">{email}</span>
        <span
          className={`rounded-full px-2 py-0.5 text-xs font-semibold ${
            emailVerified
              ? "bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-200"
              : "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-100"
          }`}
        >
          {emailVerified ? "Verified" : "Not verified"}
        </span>
      </p>
      {emailVerified ? null : (
        <div className="mt-3 flex flex-wrap items-center gap-3">
          <button
            type="button"
            className="btn-secondary"
            disabled={verification.isPending}
            onClick={verification.resend}
          >
            Resend
          </button>
          <FormStatus status={verification.status} />
        </div>
      )}
      <form className="mt-4 space-y-3" onSubmit={onSubmit}>
        <input type="text" name="username" autoComplete="username" value={email} readOnly hidden />
        <TextField label="New email" name="email" type="email" autoComplete="email" required errors={errors.email} />
        <StepUpFields methods={stepUp} errors={errors} passwordHint="Your current password, to confirm it is you." />
        <div className="flex flex-wrap items-center gap-3">
          <button type="submit" className="btn-primary" disabled={isPending}>
            {isPending ? "Sending link…" : "Change email"}
          </button>
          <FormStatus status={status} />
        </div>
      </form>
    </SettingsCard>
  );
}

function describeFailure(error: BffError): string {
  switch (error.status) {
    case 401:
      if (error.problem?.code === "invalid_code") return "That code is not right or was already used.";
      return error.problem?.code === "invalid_credentials" ? "That password is not right." : error.message;
    case 403:
      return error.problem?.code === "email_unverified"
        ? "Confirm your current address first: open the link we sent to it."
        : `Not allowed: ${error.message}`;
    case 409:
      return "Another account already uses that address.";
    case 422:
      return Object.values(error.fieldErrors).flat().join(" ") || error.message;
    case 429:
      return `Too many attempts. ${retryAdvice(error.retryAfterSeconds)}`;
    default:
      return error.message;
  }
}
