"use client";

import type { StepUp } from "@taskvault/contract/mfa";
import type { ReactNode } from "react";
import { FactorForm } from "./factor-form.tsx";
import { describeStepUpFailure } from "./failure-messages.ts";
import { readStepUpProof, StepUpFields } from "./step-up-fields.tsx";
import type { StepUpMethods } from "./step-up-proof.ts";

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
  return (
    <FactorForm
      label={label}
      submit={submit}
      describeFailure={describeStepUpFailure}
      onCancel={onCancel}
      onSubmit={async (data) =>
        onSubmit({
          proof: asksProof ? await readStepUpProof(data) : {},
          endOtherSessions: data.get("endOtherSessions") === "on",
        })
      }
    >
      {children}
      {asksProof ? <StepUpFields methods={stepUp} passwordHint={null} /> : null}
      {offersSignOut ? <SignOutOthersCheckbox /> : null}
    </FactorForm>
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
