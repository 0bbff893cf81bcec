"use client";

import { useState } from "react";
import { BffError, bff } from "@/lib/bff-client.ts";

type Props = { name: string; providerEmail: string; accountEmail: string };

/**
 * **Link**: spends the link ticket held in this browser's HttpOnly cookie (POST /api/me/oidc/link),
 * after which the provider signs in to this account. The API accepts it only from a session opened
 * after the refused single sign-on; an older one is asked to sign in again.
 */
export function LinkSsoForm({ name, providerEmail, accountEmail }: Props) {
  const [isPending, setIsPending] = useState(false);
  const [failure, setFailure] = useState<{ message: string; signInAgain: boolean } | null>(null);

  async function link() {
    setIsPending(true);
    setFailure(null);
    try {
      await bff("/api/me/oidc/link", { method: "POST", body: {} });
      window.location.assign("/settings");
    } catch (error) {
      setIsPending(false);
      setFailure(describeLinkFailure(error, name));
    }
  }

  async function signInAgain() {
    setIsPending(true);
    await fetch("/api/auth/signout", { method: "POST" }).catch(() => null);
    window.location.assign("/signin?next=/link-sso");
  }

  return (
    <div className="space-y-4">
      <p className="text-sm text-slate-600 dark:text-slate-400">
        You are signed in as <strong className="text-slate-900 dark:text-slate-100">{accountEmail}</strong>. Link the{" "}
        {name} account <strong className="text-slate-900 dark:text-slate-100">{providerEmail}</strong> to it, so that{" "}
        <em>Sign in with {name}</em> opens this account.
      </p>
      <div role="alert" aria-live="assertive" className="text-sm text-red-700 empty:hidden dark:text-red-400">
        {failure?.message}
      </div>
      <div className="flex flex-wrap gap-3">
        {failure?.signInAgain ? (
          <button type="button" className="btn-primary" disabled={isPending} onClick={() => void signInAgain()}>
            Sign in again
          </button>
        ) : (
          <button type="button" className="btn-primary" disabled={isPending} onClick={() => void link()}>
            {isPending ? "Linking…" : "Link"}
          </button>
        )}
        <a href="/" className="btn-secondary">
          Not now
        </a>
      </div>
    </div>
  );
}

function describeLinkFailure(error: unknown, name: string): { message: string; signInAgain: boolean } {
  if (!(error instanceof BffError)) return { message: "Could not link. Please try again.", signInAgain: false };
  const code = error.problem?.code;
  if (code === "forbidden") {
    return {
      message: `For your safety, linking needs a fresh sign-in: sign in to this account again with its password, then link ${name}.`,
      signInAgain: true,
    };
  }
  if (code === "email_unverified") {
    return {
      message: `Confirm this account's email address first (use the link we emailed you), then come back here and press Link within 10 minutes of signing in with ${name}.`,
      signInAgain: false,
    };
  }
  if (code === "invalid_state") {
    return {
      message: `This link request has expired, was already used, or belongs to another account. Sign out, then choose Sign in with ${name} again.`,
      signInAgain: false,
    };
  }
  if (code === "conflict")
    return { message: `A ${name} account is already linked to this account.`, signInAgain: false };
  return { message: error.status === 0 ? error.message : "Could not link. Please try again.", signInAgain: false };
}
