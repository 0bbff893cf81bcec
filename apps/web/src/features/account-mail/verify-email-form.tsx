"use client";

import type { User } from "@taskvault/contract/auth";
import Link from "next/link";
import { useState } from "react";
import { SignOutButton } from "@/components/sign-out-button.tsx";
import { AUTH_LINK_CLASS } from "@/features/auth/auth-frame.tsx";
import { BffError, bff } from "@/lib/bff-client.ts";
import { useResendVerification } from "./use-resend-verification.ts";

type State =
  | { step: "ask" }
  | { step: "confirmed"; email: string }
  | { step: "dead" }
  | { step: "taken" }
  | { step: "failed"; message: string };

/**
 * Confirms an address from an emailed link (a sign-up's, or a new address after a change). Mail
 * scanners open links on their own, so opening the page spends nothing: the button does.
 */
export function VerifyEmailForm({ token }: { token: string }) {
  const [state, setState] = useState<State>({ step: "ask" });
  const [isPending, setIsPending] = useState(false);

  async function confirm() {
    setIsPending(true);
    try {
      const { data } = await bff<User>("/api/auth/email/verify", {
        method: "POST",
        body: { token },
        redirectOnUnauthorized: false,
      });
      setState({ step: "confirmed", email: data.email });
    } catch (error) {
      if (!(error instanceof BffError)) throw error;
      if (error.status === 400 && error.problem?.code === "invalid_token") setState({ step: "dead" });
      else if (error.status === 409) setState({ step: "taken" });
      else setState({ step: "failed", message: error.message });
    } finally {
      setIsPending(false);
    }
  }

  if (token === "") return <AwaitingConfirmation />;
  if (state.step === "confirmed") {
    return (
      <div className="space-y-4">
        <p role="status" className="text-slate-800 dark:text-slate-200">
          Your email address {state.email} is confirmed.
        </p>
        <p>
          <Link href="/" className={AUTH_LINK_CLASS}>
            Continue to Taskvault
          </Link>
        </p>
      </div>
    );
  }
  if (state.step === "dead" || state.step === "taken") {
    return (
      <div role="alert" className="space-y-4">
        <p className="text-slate-800 dark:text-slate-200">
          {state.step === "dead"
            ? "This confirmation link has expired or was already used. A link works once, for 24 hours."
            : "Another account started using this address meanwhile, so your email was not changed."}
        </p>
        <p>
          <Link href="/settings" className={AUTH_LINK_CLASS}>
            Ask for a new link in Settings
          </Link>
        </p>
      </div>
    );
  }
  return (
    <div className="space-y-4">
      <p className="text-slate-800 dark:text-slate-200">
        Opening this link changes nothing by itself: click the button to confirm that this email address is yours.
      </p>
      {state.step === "failed" ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          {state.message}
        </p>
      ) : null}
      <button type="button" className="btn-primary w-full" disabled={isPending} onClick={confirm}>
        {isPending ? "Confirming…" : "Confirm email"}
      </button>
    </div>
  );
}

/**
 * No token: the person came here because the server needs a confirmed address first
 * (AUTH_REQUIRE_VERIFIED_EMAIL), or the link lost its token on the way.
 */
function AwaitingConfirmation() {
  const { resend, isPending, status } = useResendVerification();
  return (
    <div className="space-y-4">
      <p className="text-slate-800 dark:text-slate-200">
        Confirm your email address to continue: open the link in the email we sent you. Signed in, you can ask for a new
        one here.
      </p>
      <div className="flex flex-wrap items-center gap-3">
        <button type="button" className="btn-primary" disabled={isPending} onClick={resend}>
          Resend
        </button>
        <SignOutButton />
      </div>
      <p role="status" aria-live="polite" className="text-sm empty:hidden">
        {status?.message}
      </p>
    </div>
  );
}
