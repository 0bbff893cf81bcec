"use client";

import {
  API_TOKEN_DEFAULT_DAYS,
  API_TOKEN_SCOPES,
  type ApiToken,
  type ApiTokenScope,
  type CreatedApiToken,
} from "@taskvault/contract/api-tokens";
import { type FormEvent, useId, useState } from "react";
import { describeStepUpFailure } from "@/features/mfa/failure-messages.ts";
import { readStepUpProof, StepUpFields } from "@/features/mfa/step-up-fields.tsx";
import type { StepUpMethods } from "@/features/mfa/step-up-proof.ts";
import { BffError, bff } from "@/lib/bff-client.ts";
import { FormStatus, SettingsCard } from "./settings-card.tsx";

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

const SCOPE_HINTS: Record<ApiTokenScope, string> = {
  "todos:read": "read todos",
  "todos:write": "create, change and delete todos",
  "lists:read": "read lists",
  "lists:write": "create, change and delete lists",
};

/** yyyy-mm-dd of the day `days` from today, in the browser's zone (what a date input holds). */
function dayFromToday(days: number): string {
  const date = new Date(Date.now() + days * 86_400_000);
  const pad = (value: number) => String(value).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/**
 * API tokens for scripts: create one (shown once, to copy), see when each was last used, revoke.
 * Creating one is confirmed like any sensitive change: the password, or a second factor for an
 * account without one (`stepUp`).
 */
export function ApiTokensPanel({ initialTokens, stepUp }: { initialTokens: ApiToken[]; stepUp: StepUpMethods }) {
  const [tokens, setTokens] = useState(initialTokens);
  const [created, setCreated] = useState<CreatedApiToken | null>(null);
  const [isPending, setIsPending] = useState(false);
  const [pendingId, setPendingId] = useState<string | null>(null);
  const [isCopied, setIsCopied] = useState(false);
  const [status, setStatus] = useState<{ tone: "ok" | "error"; message: string } | null>(null);
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  // The form opens on demand: closed, the page has one "Name" field (the profile's) and one "Password" less.
  const [isCreating, setIsCreating] = useState(false);
  const nameId = useId();
  const expiryId = useId();

  async function onCreate(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const scopes = data.getAll("scopes").map(String);
    if (scopes.length === 0) {
      setErrors({ scopes: ["Choose at least one scope"] });
      return;
    }
    const expiry = String(data.get("expiresOn") ?? "");
    setIsPending(true);
    setStatus(null);
    setErrors({});
    setCreated(null);
    try {
      const { data: token } = await bff<CreatedApiToken>("/api/me/tokens", {
        method: "POST",
        body: {
          name: String(data.get("name") ?? ""),
          scopes,
          // The end of the chosen day, in the browser's zone.
          ...(expiry ? { expiresAt: new Date(`${expiry}T23:59:59`).toISOString() } : {}),
          ...(await readStepUpProof(data)),
        },
        // A wrong password or code is a 401 from the API, not an ended session.
        redirectOnUnauthorized: false,
      });
      const { token: _secret, ...listed } = token;
      setTokens((current) => [listed, ...current]);
      setCreated(token);
      setIsCopied(false);
      form.reset();
      setIsCreating(false);
    } catch (error) {
      if (error instanceof BffError) {
        setErrors(error.fieldErrors);
        setStatus({ tone: "error", message: describeCreateFailure(error) });
      } else {
        // Not the BFF's answer: a passkey as the proof whose ceremony did not finish.
        setStatus({ tone: "error", message: describeStepUpFailure(error) });
      }
    } finally {
      setIsPending(false);
    }
  }

  async function copy(token: string) {
    try {
      await navigator.clipboard.writeText(token);
      setIsCopied(true);
    } catch {
      setStatus({ tone: "error", message: "Could not copy; select the token and copy it by hand." });
    }
  }

  async function revoke(token: ApiToken) {
    setPendingId(token.id);
    setStatus(null);
    try {
      await bff(`/api/me/tokens/${token.id}`, { method: "DELETE" });
      setTokens((current) => current.filter((item) => item.id !== token.id));
      if (created?.id === token.id) setCreated(null);
      setStatus({ tone: "ok", message: `Revoked “${token.name}”. Scripts using it are refused from now on.` });
    } catch (error) {
      setStatus({ tone: "error", message: error instanceof Error ? error.message : "Could not revoke the token." });
    } finally {
      setPendingId(null);
    }
  }

  return (
    <SettingsCard
      title="API tokens"
      description="Tokens let scripts reach your todos and lists (Authorization: Bearer tvk_…) without your password. They cannot change your account."
    >
      {!isCreating ? (
        <div className="flex flex-wrap items-center gap-3">
          <button
            type="button"
            className="btn-secondary"
            onClick={() => {
              setIsCreating(true);
              setStatus(null);
            }}
          >
            New token
          </button>
          <FormStatus status={status} />
        </div>
      ) : (
        <form className="space-y-3" onSubmit={onCreate} aria-label="Create an API token">
          <div>
            <label htmlFor={nameId} className="label">
              Name
            </label>
            <input
              id={nameId}
              name="name"
              required
              maxLength={100}
              className="field"
              placeholder="e.g. backup script"
            />
            {errors.name ? (
              <p className="mt-1 text-sm text-red-700 dark:text-red-400">{errors.name.join(" ")}</p>
            ) : null}
          </div>
          <fieldset>
            <legend className="label">Scopes</legend>
            <div className="grid gap-1 sm:grid-cols-2">
              {API_TOKEN_SCOPES.map((scope) => (
                <label key={scope} className="flex items-center gap-2 text-sm">
                  <input type="checkbox" name="scopes" value={scope} defaultChecked={scope === "todos:read"} />
                  <span>
                    <code>{scope}</code>
                    <span className="text-slate-600 dark:text-slate-400"> – {SCOPE_HINTS[scope]}</span>
                  </span>
                </label>
              ))}
            </div>
            {errors.scopes ? (
              <p className="mt-1 text-sm text-red-700 dark:text-red-400">{errors.scopes.join(" ")}</p>
            ) : null}
          </fieldset>
          <div>
            <label htmlFor={expiryId} className="label">
              Expires on
            </label>
            <input
              id={expiryId}
              name="expiresOn"
              type="date"
              required
              min={dayFromToday(1)}
              defaultValue={dayFromToday(API_TOKEN_DEFAULT_DAYS)}
              className="field"
            />
            {errors.expiresAt ? (
              <p className="mt-1 text-sm text-red-700 dark:text-red-400">{errors.expiresAt.join(" ")}</p>
            ) : null}
          </div>
          <StepUpFields methods={stepUp} errors={errors} />
          <div className="flex flex-wrap items-center gap-3">
            <button type="submit" className="btn-primary" disabled={isPending}>
              {isPending ? "Creating…" : "Create token"}
            </button>
            <button
              type="button"
              className="btn-secondary"
              disabled={isPending}
              onClick={() => {
                setIsCreating(false);
                setErrors({});
                setStatus(null);
              }}
            >
              Cancel
            </button>
            <FormStatus status={status} />
          </div>
        </form>
      )}

      {created ? (
        <section
          aria-label="New API token"
          className="mt-4 rounded-md border border-amber-300 bg-amber-50 p-3 dark:border-amber-700 dark:bg-amber-950"
        >
          <p className="text-sm font-medium">Copy “{created.name}” now: it will not be shown again.</p>
          <div className="mt-2 flex flex-wrap items-center gap-2">
            <input
              readOnly
              aria-label="Token"
              value={created.token}
              className="field min-w-0 flex-1 font-mono text-xs"
              onFocus={(event) => event.currentTarget.select()}
            />
            <button type="button" className="btn-secondary" onClick={() => void copy(created.token)}>
              {isCopied ? "Copied" : "Copy"}
            </button>
          </div>
        </section>
      ) : null}

      {tokens.length === 0 ? (
        <p className="mt-4 text-sm text-slate-600 dark:text-slate-400">No API tokens yet.</p>
      ) : (
        <ul aria-label="API tokens" className="mt-4 divide-y divide-slate-200 dark:divide-slate-800">
          {tokens.map((token) => (
            <li key={token.id} className="flex flex-wrap items-center justify-between gap-2 py-3">
              <div className="min-w-0">
                <p className="font-medium">{token.name}</p>
                <p className="text-sm text-slate-600 dark:text-slate-400">{token.scopes.join(", ")}</p>
                <p className="text-sm text-slate-600 dark:text-slate-400">
                  Created{" "}
                  <time dateTime={token.createdAt} suppressHydrationWarning>
                    {dateFormat.format(new Date(token.createdAt))}
                  </time>
                  {" · "}Expires{" "}
                  <time dateTime={token.expiresAt} suppressHydrationWarning>
                    {dateFormat.format(new Date(token.expiresAt))}
                  </time>
                  {" · "}
                  {token.lastUsedAt ? (
                    <>
                      Last used{" "}
                      <time dateTime={token.lastUsedAt} suppressHydrationWarning>
                        {dateTimeFormat.format(new Date(token.lastUsedAt))}
                      </time>
                      {token.lastUsedIp ? ` from ${token.lastUsedIp}` : ""}
                    </>
                  ) : (
                    "Never used"
                  )}
                </p>
              </div>
              <button
                type="button"
                className="btn-secondary"
                disabled={pendingId !== null}
                aria-label={`Revoke ${token.name}`}
                onClick={() => void revoke(token)}
              >
                Revoke
              </button>
            </li>
          ))}
        </ul>
      )}
    </SettingsCard>
  );
}

function describeCreateFailure(error: BffError): string {
  if (error.problem?.code === "invalid_code") return "That code is not right or was already used.";
  if (error.status === 401) return "The password is not right.";
  return error.message;
}
