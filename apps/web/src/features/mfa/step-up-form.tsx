"use client";

import type { StepUp } from "@taskvault/contract/mfa";
import { type FormEvent, type ReactNode, useState } from "react";
import { BffError } from "@/lib/bff-client.ts";
import { StepUpFields } from "./step-up-fields.tsx";
import { readStepUpProof, type StepUpMethods } from "./step-up-proof.ts";

export type Status = { tone: "ok" | "error"; message: string } | null;

type Props = {
  /** Names the form for assistive technology, e.g. "Turn off authenticator app". */
  label: string;
  submit: string;
  /** How this account confirms: its password, or a second factor for an account without one. */
  stepUp: StepUpMethods;
  /** Whether a proof is asked for at all (removing a passkey needs one only for the last factor). */
  asksProof?: boolean;
  /** Offers ending every other session (ASVS 7.4.3) with this change. */
  offersSignOut?: boolean;
  children?: ReactNode;
  onSubmit: (input: { proof: StepUp; endOtherSessions: boolean }) => Promise<void>;
  onCancel: () => void;
};

/**
 * A sensitive change confirmed with the password — or, for an account without one, a second
 * factor (step-up) — optionally ending the other sessions.
 */
export function StepUpForm({
  label,
  submit,
  stepUp,
  asksProof = true,
  offersSignOut,
  children,
  onSubmit,
  onCancel,
}: Props) {
  const [isPending, setIsPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function handle(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    setIsPending(true);
    setError(null);
    try {
      await onSubmit({
        proof: asksProof ? readStepUpProof(data) : {},
        endOtherSessions: data.get("endOtherSessions") === "on",
      });
    } catch (failure) {
      setError(describeStepUpFailure(failure));
      setIsPending(false);
    }
  }

  return (
    <form aria-label={label} className="mt-3 space-y-3" onSubmit={handle}>
      {children}
      {asksProof ? <StepUpFields methods={stepUp} passwordHint={null} /> : null}
      {offersSignOut ? <SignOutOthersCheckbox /> : null}
      <p role="alert" className="text-sm text-red-700 empty:hidden dark:text-red-400">
        {error}
      </p>
      <div className="flex flex-wrap gap-2">
        <button type="submit" className="btn-primary" disabled={isPending}>
          {submit}
        </button>
        <button type="button" className="btn-secondary" onClick={onCancel} disabled={isPending}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** ASVS 7.4.3: a factor change is the moment to end sessions someone else may hold. */
export function SignOutOthersCheckbox() {
  return (
    <label className="flex items-center gap-2 text-sm">
      <input type="checkbox" name="endOtherSessions" className="size-4" />
      Sign out my other sessions
    </label>
  );
}

export function describeStepUpFailure(failure: unknown): string {
  if (!(failure instanceof BffError)) return "Something went wrong. Please try again.";
  if (failure.problem?.code === "invalid_credentials") return "The password is not right.";
  if (failure.problem?.code === "invalid_code") return "That code is not right or was already used.";
  if (failure.status === 429) return "Too many attempts. Wait a moment and try again.";
  const fields = Object.values(failure.fieldErrors).flat();
  return fields.length ? fields.join(" ") : failure.message;
}
