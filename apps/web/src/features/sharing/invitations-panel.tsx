"use client";

import type { List } from "@taskvault/contract/lists";
import type { Invitation } from "@taskvault/contract/sharing";
import { useCallback, useEffect, useRef, useState } from "react";
import { messageOf } from "@/lib/bff-client.ts";
import * as sharingApi from "./sharing-api.ts";
import { ROLE_LABELS } from "./sharing-api.ts";

// Invitations have no event of their own in the stream (the invitee is no member yet), so the
// panel asks again now and then, and whenever the tab comes back into view.
const POLL_MS = 5_000;

/**
 * The signed-in user's pending invitations to shared lists, with a count badge, each with
 * **Accept** and **Decline**. Hidden while there are none. `onAccepted` puts the list (and its
 * todos) on screen at once, before the stream brings them.
 */
export function InvitationsPanel({ onAccepted }: { onAccepted(list: List): Promise<void> }) {
  const [invitations, setInvitations] = useState<Invitation[]>([]);
  const [busyId, setBusyId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  // Bumped by every answer: a poll that set out before it would bring the answered invitation
  // back until the next poll, so its result is dropped.
  const answers = useRef(0);

  const refresh = useCallback(async () => {
    const answersBefore = answers.current;
    try {
      const pending = await sharingApi.fetchMyInvitations();
      if (answers.current === answersBefore) setInvitations(pending);
    } catch {
      // Quietly keep what is shown: the next poll tries again.
    }
  }, []);

  useEffect(() => {
    void refresh();
    const timer = window.setInterval(() => {
      if (document.visibilityState === "visible") void refresh();
    }, POLL_MS);
    const becameVisible = () => {
      if (document.visibilityState === "visible") void refresh();
    };
    document.addEventListener("visibilitychange", becameVisible);
    return () => {
      window.clearInterval(timer);
      document.removeEventListener("visibilitychange", becameVisible);
    };
  }, [refresh]);

  async function answer(invitation: Invitation, isAccepting: boolean) {
    setBusyId(invitation.id);
    setError(null);
    try {
      const accepted = isAccepting ? await sharingApi.acceptInvitation(invitation.id) : null;
      if (!isAccepting) await sharingApi.deleteInvitation(invitation.id);
      answers.current++;
      setInvitations((current) => current.filter((item) => item.id !== invitation.id));
      if (accepted) await onAccepted(accepted);
    } catch (caught) {
      setError(
        `Could not ${isAccepting ? "accept" : "decline"} the invitation to “${invitation.listName}”: ${messageOf(caught)}`,
      );
      void refresh();
    } finally {
      setBusyId(null);
    }
  }

  if (invitations.length === 0 && !error) return null;
  return (
    <section aria-labelledby="invitations-title" className="card mb-3 p-3">
      <h2 id="invitations-title" className="flex items-center gap-2 text-sm font-semibold">
        Invitations
        <span className="rounded-full bg-brand-600 px-2 py-0.5 text-xs text-white tabular-nums dark:bg-brand-500">
          {invitations.length}
          <span className="sr-only"> pending</span>
        </span>
      </h2>
      <ul aria-label="Invitations" className="mt-2 divide-y divide-slate-200 dark:divide-slate-800">
        {invitations.map((invitation) => (
          <li key={invitation.id} className="flex flex-wrap items-center gap-2 py-2 text-sm">
            <span className="min-w-0 flex-1">
              {invitation.invitedBy.name || invitation.invitedBy.email} invited you to{" "}
              <strong>“{invitation.listName}”</strong> as {ROLE_LABELS[invitation.role].toLowerCase()}.
            </span>
            <button
              type="button"
              className="btn-primary min-h-8 px-3 py-1"
              disabled={busyId === invitation.id}
              onClick={() => void answer(invitation, true)}
            >
              Accept
            </button>
            <button
              type="button"
              className="btn-secondary min-h-8 px-3 py-1"
              disabled={busyId === invitation.id}
              onClick={() => void answer(invitation, false)}
            >
              Decline
            </button>
          </li>
        ))}
      </ul>
      {error ? (
        <p role="alert" className="mt-2 text-sm text-red-700 dark:text-red-400">
          {error}
        </p>
      ) : null}
    </section>
  );
}
