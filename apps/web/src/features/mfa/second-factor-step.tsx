"use client";

import type { MfaMethod } from "@taskvault/contract/mfa";
import { type FormEvent, useState } from "react";
import { BffError } from "@/lib/bff-client.ts";
import { CodeField } from "./code-field.tsx";
import { describePasskeyFailure } from "./failure-messages.ts";
import { finishSecondStep } from "./mfa-api.ts";

const LINK = "font-semibold text-brand-600 underline-offset-2 hover:underline dark:text-brand-50";

type Props = {
  methods: MfaMethod[];
  /** Where to go once signed in. */
  next: string;
  /** The pending sign-in expired or was used up: back to the password. */
  onRestart: (message: string) => void;
};

/**
 * The second step of a sign-in after the password: a code from the authenticator app, a recovery
 * code, or a passkey — whichever of them the account has (`methods`).
 */
export function SecondFactorStep({ methods, next, onRestart }: Props) {
  const hasTotp = methods.includes("totp");
  const hasPasskey = methods.includes("passkey");
  const hasRecovery = methods.includes("recovery_code");
  const [mode, setMode] = useState<"totp" | "recovery" | "passkey">(
    hasTotp ? "totp" : hasPasskey ? "passkey" : "recovery",
  );
  const [isPending, setIsPending] = useState(false);
  const [message, setMessage] = useState<string | null>(null);

  async function attempt(proof: Parameters<typeof finishSecondStep>[0]) {
    setIsPending(true);
    setMessage(null);
    try {
      await finishSecondStep(proof);
      window.location.assign(next);
    } catch (failure) {
      setIsPending(false);
      if (failure instanceof BffError && failure.problem?.code === "invalid_mfa_token") {
        onRestart("This sign-in has expired or had too many wrong codes. Please sign in again.");
        return;
      }
      setMessage(describeSecondStepFailure(failure, mode));
    }
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (isPending) return;
    const value = String(new FormData(event.currentTarget).get("code") ?? "");
    void attempt(mode === "recovery" ? { recoveryCode: value } : { code: value });
  }

  const switchTo = (target: typeof mode) => {
    setMessage(null);
    setMode(target);
  };

  return (
    <div className="space-y-4">
      <p className="text-sm text-slate-600 dark:text-slate-400">
        {mode === "totp"
          ? "Enter the 6-digit code from your authenticator app."
          : mode === "recovery"
            ? "Enter one of the recovery codes you saved. Each works once."
            : "Confirm with the passkey on this device or your phone."}
      </p>
      {mode === "passkey" ? (
        <button
          type="button"
          className="btn-primary w-full"
          disabled={isPending}
          onClick={() => void attempt({ passkey: true })}
        >
          Use a passkey
        </button>
      ) : (
        <form className="space-y-4" noValidate onSubmit={onSubmit} key={mode}>
          <CodeField
            label={mode === "totp" ? "Authentication code" : "Recovery code"}
            name="code"
            kind={mode === "totp" ? "totp" : "recovery"}
            autoFocus
          />
          <Alert message={message} />
          <button type="submit" className="btn-primary w-full" disabled={isPending} aria-disabled={isPending}>
            {isPending ? "Verifying…" : "Verify"}
          </button>
        </form>
      )}
      {mode === "passkey" ? <Alert message={message} /> : null}
      <div className="flex flex-col items-center gap-2 text-sm">
        {mode !== "totp" && hasTotp ? (
          <button type="button" className={LINK} onClick={() => switchTo("totp")}>
            Use your authenticator app
          </button>
        ) : null}
        {mode !== "passkey" && hasPasskey ? (
          <button
            type="button"
            className={LINK}
            disabled={isPending}
            onClick={() => {
              switchTo("passkey");
              void attempt({ passkey: true });
            }}
          >
            Use a passkey
          </button>
        ) : null}
        {mode !== "recovery" && hasRecovery ? (
          <button type="button" className={LINK} onClick={() => switchTo("recovery")}>
            Use a recovery code
          </button>
        ) : null}
      </div>
    </div>
  );
}

function Alert({ message }: { message: string | null }) {
  return (
    <div role="alert" aria-live="assertive" className="text-sm text-red-700 empty:hidden dark:text-red-400">
      {message}
    </div>
  );
}

function describeSecondStepFailure(failure: unknown, mode: "totp" | "recovery" | "passkey"): string {
  if (mode === "passkey" || !(failure instanceof BffError)) return describePasskeyFailure(failure);
  if (failure.status === 401) {
    return mode === "totp"
      ? "That code is not right or was already used."
      : "That recovery code is not right or was already used.";
  }
  if (failure.status === 422) return Object.values(failure.fieldErrors).flat().join(" ") || failure.message;
  if (failure.status === 429) return "Too many attempts. Wait a moment and try again.";
  return failure.status === 0 ? failure.message : "Could not verify the code. Please try again.";
}
