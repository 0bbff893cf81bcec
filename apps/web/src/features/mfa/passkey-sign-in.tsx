"use client";

import {
  browserSupportsWebAuthn,
  browserSupportsWebAuthnAutofill,
  WebAuthnAbortService,
} from "@simplewebauthn/browser";
import { useEffect, useState } from "react";
import { BffError } from "@/lib/bff-client.ts";
import { describePasskeyFailure } from "./failure-messages.ts";
import { signInWithPasskey } from "./mfa-api.ts";

type Props = {
  next: string;
  /** Shows a failure next to the form; must keep its identity across renders (a state setter). */
  onMessage: (message: string | null) => void;
};

/**
 * Passwordless sign-in: the **Sign in with a passkey** button, and passkey suggestions in the Email
 * field's autofill (WebAuthn conditional mediation; the field carries `autocomplete="username webauthn"`).
 */
export function PasskeySignIn({ next, onMessage }: Props) {
  const [isPending, setIsPending] = useState(false);
  const [isSupported, setIsSupported] = useState(true);

  useEffect(() => {
    setIsSupported(browserSupportsWebAuthn());
  }, []);

  useEffect(() => {
    let isCurrent = true;
    // Waits, possibly for ever, for the person to pick a passkey from the Email field's suggestions;
    // the button, the second step or leaving the page cancel it (@simplewebauthn aborts the
    // previous ceremony whenever a new one starts). Only a passkey the API refused is worth a
    // message: nobody asked for this ceremony, so the browser's own failures stay silent.
    (async () => {
      if (!(await browserSupportsWebAuthnAutofill())) return;
      try {
        await signInWithPasskey({ autofill: true });
        window.location.assign(next);
      } catch (failure) {
        if (isCurrent && failure instanceof BffError) onMessage(describePasskeyFailure(failure));
      }
    })();
    return () => {
      isCurrent = false;
      WebAuthnAbortService.cancelCeremony();
    };
  }, [next, onMessage]);

  async function onClick() {
    setIsPending(true);
    onMessage(null);
    try {
      await signInWithPasskey();
      window.location.assign(next);
    } catch (failure) {
      setIsPending(false);
      onMessage(describePasskeyFailure(failure));
    }
  }

  if (!isSupported) return null;
  return (
    <button type="button" className="btn-secondary w-full" disabled={isPending} onClick={onClick}>
      {isPending ? "Waiting for your passkey…" : "Sign in with a passkey"}
    </button>
  );
}
