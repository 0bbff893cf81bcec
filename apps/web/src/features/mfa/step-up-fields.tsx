"use client";

import type { StepUp } from "@taskvault/contract/mfa";
import { useState } from "react";
import { PasswordField } from "@/features/auth/password-field.tsx";
import { CodeField } from "./code-field.tsx";
import { assertPasskey } from "./mfa-api.ts";
import type { StepUpMethods } from "./step-up-proof.ts";

const LINK = "text-sm font-semibold text-brand-600 underline-offset-2 hover:underline dark:text-brand-50";

type Mode = "totp" | "passkey" | "recovery";

const PHRASES: Record<Mode, string> = {
  totp: "a code from your authenticator app",
  passkey: "your passkey, which your browser asks for when you go on",
  recovery: "one of your recovery codes",
};

const SWITCHES: Record<Mode, string> = {
  totp: "Use your authenticator app",
  passkey: "Use a passkey",
  recovery: "Use a recovery code",
};

/** Marks a form whose step-up is a passkey: `readStepUpProof` asks the browser for one. */
const PASSKEY_FIELD = "stepUpPasskey";

/**
 * The fields that confirm a sensitive change: Password, or for an account without one an
 * Authentication code, a passkey or a recovery code, whichever it has (in the order the second
 * step of a sign-in offers them) — the contract's "an account without one confirms with a second
 * factor". Read them back with `readStepUpProof`.
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
  const [chosen, setChosen] = useState<Mode | null>(null);
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
  const available = (["totp", "passkey", "recovery"] as const).filter((mode) =>
    mode === "recovery" ? methods.recoveryCode : methods[mode],
  );
  // The methods change under a mounted form when a factor is added or removed on this page
  // (the settings refresh): a choice that is gone falls back to the first one left.
  const mode = chosen !== null && available.includes(chosen) ? chosen : available[0];
  if (mode === undefined) return null;
  return (
    <div className="space-y-1">
      {mode === "totp" ? (
        <CodeField label="Authentication code" name="code" kind="totp" errors={errors?.code} />
      ) : mode === "recovery" ? (
        <CodeField label="Recovery code" name="recoveryCode" kind="recovery" errors={errors?.recoveryCode} />
      ) : (
        <input type="hidden" name={PASSKEY_FIELD} value="on" />
      )}
      <p className="text-sm text-slate-600 dark:text-slate-400">
        Your account has no password: confirm it's you with {PHRASES[mode]}.
      </p>
      <div className="flex flex-wrap gap-x-4">
        {available
          .filter((other) => other !== mode)
          .map((other) => (
            <button key={other} type="button" className={LINK} onClick={() => setChosen(other)}>
              {SWITCHES[other]}
            </button>
          ))}
      </div>
    </div>
  );
}

/**
 * The proof the step-up fields hold, as the API's `StepUp` fields. For a passkey this is the
 * moment the browser asks for it: an assertion on a fresh single-use challenge from the sign-in
 * options (the API takes one as a step-up's proof), so call it as the form is sent. A ceremony
 * that does not finish throws (see `describeStepUpFailure`).
 */
export async function readStepUpProof(data: FormData): Promise<StepUp> {
  const read = (name: string) => {
    const value = data.get(name);
    return typeof value === "string" ? value : undefined;
  };
  const password = read("password");
  if (password !== undefined) return { password };
  const code = read("code");
  if (code !== undefined) return { code };
  const recoveryCode = read("recoveryCode");
  if (recoveryCode !== undefined) return { recoveryCode };
  if (!data.has(PASSKEY_FIELD)) return {};
  const { challengeId, response } = await assertPasskey();
  // The contract's AssertionResponse is this JSON; only its extension outputs are typed as an interface, not a record.
  return { challengeId, response: response as NonNullable<StepUp["response"]> };
}
