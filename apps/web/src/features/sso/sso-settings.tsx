"use client";

import type { OidcLinkStatus } from "@taskvault/contract/oidc";
import { useState } from "react";
import { BffError, bff } from "@/lib/bff-client.ts";
import { FormStatus, SettingsCard } from "../settings/settings-card.tsx";

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });

type Status = { tone: "ok" | "error"; message: string } | null;

/**
 * Settings → Single sign-on: the linked provider account with **Unlink**, or how to link one. The
 * API refuses to unlink (409 `last_way_in`) while the provider is the account's only way in.
 */
export function SsoSettings({ initialStatus }: { initialStatus: OidcLinkStatus }) {
  const [link, setLink] = useState(initialStatus.link);
  const [isPending, setIsPending] = useState(false);
  const [status, setStatus] = useState<Status>(null);
  const name = initialStatus.name || "single sign-on";

  async function unlink() {
    setIsPending(true);
    setStatus(null);
    try {
      await bff("/api/me/oidc", { method: "DELETE" });
      setLink(null);
      setStatus({ tone: "ok", message: `${name} is unlinked: it no longer signs in to this account.` });
    } catch (error) {
      setStatus({ tone: "error", message: describeUnlinkFailure(error, name) });
    } finally {
      setIsPending(false);
    }
  }

  return (
    <SettingsCard title="Single sign-on" description={`Sign in with your ${name} account.`}>
      {link ? (
        <div className="flex flex-wrap items-center justify-between gap-3">
          <div className="min-w-0">
            <p className="font-medium">
              Linked to {name}
              {link.email ? ` as ${link.email}` : ""}
            </p>
            <p className="text-sm text-slate-600 dark:text-slate-400">
              Linked{" "}
              <time dateTime={link.createdAt} suppressHydrationWarning>
                {dateFormat.format(new Date(link.createdAt))}
              </time>
              {link.lastUsedAt ? (
                <>
                  {" · last used "}
                  <time dateTime={link.lastUsedAt} suppressHydrationWarning>
                    {dateFormat.format(new Date(link.lastUsedAt))}
                  </time>
                </>
              ) : null}
            </p>
          </div>
          <button
            type="button"
            className="btn-secondary"
            disabled={isPending}
            aria-label={`Unlink ${name}`}
            onClick={() => void unlink()}
          >
            Unlink
          </button>
        </div>
      ) : (
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Not linked. To link your {name} account, sign out and choose <strong>Sign in with {name}</strong> with a{" "}
          {name} account that uses this account&apos;s email; then sign in here with your password to confirm the link.
        </p>
      )}
      <div className="mt-3">
        <FormStatus status={status} />
      </div>
    </SettingsCard>
  );
}

function describeUnlinkFailure(error: unknown, name: string): string {
  if (!(error instanceof BffError)) return "Could not unlink. Please try again.";
  if (error.problem?.code === "last_way_in") {
    return `You cannot unlink ${name} yet: it is the only way into this account. Set a password (use "Forgot password?" on the sign-in page) or add a passkey first.`;
  }
  if (error.status === 404) return `${name} is not linked to this account.`;
  return error.status === 0 ? error.message : "Could not unlink. Please try again.";
}
