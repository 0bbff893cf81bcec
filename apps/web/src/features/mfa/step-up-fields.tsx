"use client";

import { useState } from "react";
import { PasswordField } from "@/features/auth/password-field.tsx";
import { CodeField } from "./code-field.tsx";
import type { StepUpMethods } from "./step-up-proof.ts";

const LINK = "text-sm font-semibold text-brand-600 underline-offset-2 hover:underline dark:text-brand-50";

/**
 * The fields that confirm a sensitive change: Password, or for an account without one an
 * Authentication code (with Use a recovery code) — the contract's "an account without one
 * confirms with a second factor". Read them back with `readStepUpProof`.
 */
export function StepUpFields({
  methods,
  errors,
  passwordLabel = "Password",
  passwordHint = "Confirm it's you.",
}: {
  methods: StepUpMethods;
  errors?: Record<string, string[]>;
  /** Each form keeps the name its Password field always had (e.g. "Confirm with your password"). */
  passwordLabel?: string;
  /** `null`: no hint under the Password field. */
  passwordHint?: string | null;
}) {
  const [mode, setMode] = useState<"totp" | "recovery">(methods.totp ? "totp" : "recovery");
  if (methods.password) {
    return (
      <PasswordField
        label={passwordLabel}
        name="password"
        autoComplete="current-password"
        errors={errors?.password}
        hint={passwordHint ?? undefined}
      />
    );
  }
  if (!methods.totp && !methods.recoveryCode) return null;
  return (
    <div className="space-y-1">
      {mode === "totp" ? (
        <CodeField label="Authentication code" name="code" kind="totp" errors={errors?.code} />
      ) : (
        <CodeField label="Recovery code" name="recoveryCode" kind="recovery" errors={errors?.recoveryCode} />
      )}
      <p className="text-sm text-slate-600 dark:text-slate-400">
        Your account has no password: confirm it's you with{" "}
        {mode === "totp" ? "a code from your authenticator app" : "one of your recovery codes"}.
      </p>
      {mode === "totp" && methods.recoveryCode ? (
        <button type="button" className={LINK} onClick={() => setMode("recovery")}>
          Use a recovery code
        </button>
      ) : null}
      {mode === "recovery" && methods.totp ? (
        <button type="button" className={LINK} onClick={() => setMode("totp")}>
          Use your authenticator app
        </button>
      ) : null}
    </div>
  );
}
