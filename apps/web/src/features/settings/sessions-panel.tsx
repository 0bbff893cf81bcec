"use client";

import type { SessionInfo } from "@taskvault/contract/auth";
import { useState } from "react";
import { SignOutButton } from "@/components/sign-out-button.tsx";
import { bff } from "@/lib/bff-client.ts";
import { describeDevice } from "./describe-device.ts";
import { FormStatus, SettingsCard } from "./settings-card.tsx";

const lastUsedFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

/** Where the user is signed in; any other device can be signed out from here. */
export function SessionsPanel({ initialSessions }: { initialSessions: SessionInfo[] }) {
  const [sessions, setSessions] = useState(initialSessions);
  const [pendingId, setPendingId] = useState<string | null>(null);
  const [status, setStatus] = useState<{ tone: "ok" | "error"; message: string } | null>(null);

  async function revoke(session: SessionInfo) {
    setPendingId(session.id);
    setStatus(null);
    try {
      if (session.current) {
        // Revoking this device is signing out: the sign-out route also drops the cookies here.
        await bff("/api/auth/signout", { method: "POST" });
        window.location.assign("/signin?reason=signed-out");
        return;
      }
      await bff(`/api/auth/sessions/${session.id}`, { method: "DELETE" });
      setSessions((current) => current.filter((item) => item.id !== session.id));
      setStatus({ tone: "ok", message: `Signed out ${describeDevice(session.userAgent)}.` });
    } catch (error) {
      setStatus({ tone: "error", message: error instanceof Error ? error.message : "Could not revoke the session." });
    } finally {
      setPendingId(null);
    }
  }

  return (
    <SettingsCard title="Sessions" description="Devices where you are signed in.">
      <ul aria-label="Sessions" className="divide-y divide-slate-200 dark:divide-slate-800">
        {sessions.map((session) => (
          <li key={session.id} className="flex flex-wrap items-center justify-between gap-2 py-3">
            <div className="min-w-0">
              <p className="font-medium">
                {describeDevice(session.userAgent)}
                {session.current ? (
                  <span className="ml-2 rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-semibold text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200">
                    This device
                  </span>
                ) : null}
              </p>
              <p className="text-sm text-slate-600 dark:text-slate-400">
                Last used{" "}
                <time dateTime={session.lastUsedAt} suppressHydrationWarning>
                  {lastUsedFormat.format(new Date(session.lastUsedAt))}
                </time>
                {session.ip ? ` · ${session.ip}` : ""}
                {session.via ? ` · via ${session.via}` : ""}
              </p>
            </div>
            <button
              type="button"
              className="btn-secondary"
              disabled={pendingId !== null}
              aria-label={`Revoke ${describeDevice(session.userAgent)}${session.current ? " (this device)" : ""}`}
              onClick={() => void revoke(session)}
            >
              Revoke
            </button>
          </li>
        ))}
      </ul>
      <div className="mt-4 flex flex-wrap items-center gap-3">
        <SignOutButton everywhere />
        <FormStatus status={status} />
      </div>
    </SettingsCard>
  );
}
