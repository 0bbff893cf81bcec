"use client";

import { type FormEvent, useState } from "react";
import { describeStepUpFailure } from "@/features/mfa/failure-messages.ts";
import { readStepUpProof, StepUpFields } from "@/features/mfa/step-up-fields.tsx";
import type { StepUpMethods } from "@/features/mfa/step-up-proof.ts";
import { BffError, bff } from "@/lib/bff-client.ts";
import { FormStatus, SettingsCard } from "./settings-card.tsx";

/**
 * Deleting the account needs the password again — or, for an account without one, a second
 * factor: a borrowed unlocked laptop should not be enough.
 */
export function DeleteAccountForm({ email, stepUp }: { email: string; stepUp: StepUpMethods }) {
  const [isPending, setIsPending] = useState(false);
  const [status, setStatus] = useState<{ tone: "ok" | "error"; message: string } | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    setIsPending(true);
    setStatus(null);
    try {
      await bff("/api/me", { method: "DELETE", body: await readStepUpProof(data), redirectOnUnauthorized: false });
      window.location.assign("/signin?reason=deleted");
    } catch (error) {
      setIsPending(false);
      const message =
        error instanceof BffError && error.problem?.code === "invalid_code"
          ? "That code is not right or was already used."
          : error instanceof BffError && (error.status === 401 || error.status === 403)
            ? "That password is not right."
            : error instanceof BffError
              ? error.message
              : // Not the BFF's answer: a passkey as the proof whose ceremony did not finish.
                describeStepUpFailure(error);
      setStatus({ tone: "error", message });
    }
  }

  return (
    <SettingsCard
      title="Delete account"
      description="Deletes your account and every todo in it. This cannot be undone."
    >
      <form className="space-y-3" onSubmit={onSubmit}>
        {/* Lets password managers know which account this password belongs to. */}
        <input type="text" name="username" autoComplete="username" value={email} readOnly hidden />
        <StepUpFields methods={stepUp} passwordLabel="Confirm with your password" passwordHint={null} />
        <div className="flex items-center gap-3">
          <button type="submit" className="btn-danger" disabled={isPending}>
            {isPending ? "Deleting…" : "Delete account"}
          </button>
          <FormStatus status={status} />
        </div>
      </form>
    </SettingsCard>
  );
}
