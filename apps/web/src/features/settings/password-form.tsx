"use client";

import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { PasswordField } from "@/features/auth/password-field.tsx";
import { describeStepUpFailure } from "@/features/mfa/failure-messages.ts";
import { readStepUpProof, StepUpFields } from "@/features/mfa/step-up-fields.tsx";
import type { StepUpMethods } from "@/features/mfa/step-up-proof.ts";
import { BffError, bff } from "@/lib/bff-client.ts";
import { FormStatus, SettingsCard } from "./settings-card.tsx";

/**
 * Changes the password with the current one; an account without a password (single sign-on) sets
 * its first one instead, confirming with a second factor if it has one.
 */
export function PasswordForm({ email, stepUp }: { email: string; stepUp: StepUpMethods }) {
  const router = useRouter();
  const isSetting = !stepUp.password;
  const [isPending, setIsPending] = useState(false);
  const [status, setStatus] = useState<{ tone: "ok" | "error"; message: string } | null>(null);
  const [errors, setErrors] = useState<Record<string, string[]>>({});

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    setIsPending(true);
    setStatus(null);
    setErrors({});
    try {
      await bff("/api/me/password", {
        method: "PUT",
        body: {
          ...(isSetting ? await readStepUpProof(data) : { currentPassword: String(data.get("currentPassword") ?? "") }),
          newPassword: String(data.get("newPassword") ?? ""),
        },
        // A wrong current password or code is a 401 from the API, not an ended session.
        redirectOnUnauthorized: false,
      });
      form.reset();
      setStatus({
        tone: "ok",
        message: `Password ${isSetting ? "set" : "changed"}. Your other devices have been signed out.`,
      });
      // The other settings forms now confirm with the password: the page learns it has one.
      if (isSetting) router.refresh();
    } catch (error) {
      if (error instanceof BffError) {
        setErrors(error.fieldErrors);
        setStatus({
          tone: "error",
          message:
            error.problem?.code === "invalid_code"
              ? "That code is not right or was already used."
              : error.status === 401
                ? "The current password is not right."
                : error.message,
        });
      } else {
        // Not the BFF's answer: a passkey as the proof whose ceremony did not finish.
        setStatus({ tone: "error", message: describeStepUpFailure(error) });
      }
    } finally {
      setIsPending(false);
    }
  }

  return (
    <SettingsCard
      title="Password"
      description={
        isSetting
          ? "Your account has none: you sign in with single sign-on. Set one to sign in with your email too; it signs out every other device."
          : "Changing it signs out every other device."
      }
    >
      <form className="space-y-3" onSubmit={onSubmit}>
        {/* Lets password managers know which account this password belongs to. */}
        <input type="text" name="username" autoComplete="username" value={email} readOnly hidden />
        {isSetting ? null : (
          <PasswordField
            label="Current password"
            name="currentPassword"
            autoComplete="current-password"
            errors={errors.currentPassword}
          />
        )}
        <PasswordField
          label="New password"
          name="newPassword"
          autoComplete="new-password"
          errors={errors.newPassword}
          minLength={8}
        />
        {isSetting ? <StepUpFields methods={stepUp} errors={errors} /> : null}
        <div className="flex items-center gap-3">
          <button type="submit" className="btn-primary" disabled={isPending}>
            {isPending ? (isSetting ? "Setting…" : "Changing…") : isSetting ? "Set a password" : "Change password"}
          </button>
          <FormStatus status={status} />
        </div>
      </form>
    </SettingsCard>
  );
}
