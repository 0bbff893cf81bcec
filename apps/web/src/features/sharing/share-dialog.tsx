"use client";

import type { List, MemberRole } from "@taskvault/contract/lists";
import type { Invitation, Member } from "@taskvault/contract/sharing";
import { type FormEvent, useCallback, useEffect, useId, useRef, useState } from "react";
import { messageOf } from "@/lib/bff-client.ts";
import * as sharingApi from "./sharing-api.ts";
import { displayName, ROLE_LABELS } from "./sharing-api.ts";

/**
 * The owner's Share dialog of one list: invite by email with a role, the pending invitations
 * (withdraw), and the members with their roles (change, remove). A modal `<dialog>`: the browser
 * traps focus inside, Escape closes it, and focus returns to the Share button afterwards.
 * `onMembersChanged` tells the sidebar the new member count at once (the stream confirms it).
 */
export default function ShareDialog({
  list,
  onClose,
  onMembersChanged,
}: {
  list: List;
  onClose(): void;
  onMembersChanged(memberCount: number): void;
}) {
  const titleId = useId();
  const emailId = useId();
  const roleId = useId();
  const dialog = useRef<HTMLDialogElement>(null);
  const [members, setMembers] = useState<Member[] | null>(null);
  const [invitations, setInvitations] = useState<Invitation[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [isSending, setIsSending] = useState(false);
  const membersChanged = useRef(onMembersChanged);
  membersChanged.current = onMembersChanged;

  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    return () => element?.close();
  }, []);

  const reload = useCallback(async () => {
    try {
      const [nextMembers, nextInvitations] = await Promise.all([
        sharingApi.fetchMembers(list.id),
        sharingApi.fetchListInvitations(list.id),
      ]);
      setMembers(nextMembers);
      setInvitations(nextInvitations);
      return nextMembers;
    } catch (caught) {
      setError(`Could not load who shares “${list.name}”: ${messageOf(caught)}`);
      return null;
    }
  }, [list.id, list.name]);

  useEffect(() => {
    void reload();
  }, [reload]);

  async function run(task: () => Promise<void>, done?: string) {
    setError(null);
    setStatus(null);
    try {
      await task();
      const nextMembers = await reload();
      if (nextMembers) membersChanged.current(nextMembers.length);
      if (done) setStatus(done);
    } catch (caught) {
      setError(messageOf(caught));
    }
  }

  async function invite(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const email = String(data.get("email") ?? "").trim();
    const role = String(data.get("role") ?? "editor") as MemberRole;
    if (!email) return;
    setIsSending(true);
    await run(async () => {
      await sharingApi.inviteToList(list.id, email, role);
      (form.elements.namedItem("email") as HTMLInputElement).value = "";
    }, `Invitation sent to ${email}.`);
    setIsSending(false);
  }

  return (
    <dialog
      ref={dialog}
      aria-labelledby={titleId}
      className="m-auto w-[min(32rem,calc(100vw-2rem))] rounded-2xl border border-slate-200 bg-white p-0 text-slate-900 shadow-xl backdrop:bg-slate-950/50 dark:border-slate-800 dark:bg-slate-900 dark:text-slate-100"
      onClose={onClose}
    >
      <div className="space-y-4 p-4 sm:p-5">
        <div className="flex items-start justify-between gap-2">
          <h2 id={titleId} className="text-lg font-semibold">
            Share “{list.name}”
          </h2>
          <button type="button" className="btn-ghost" onClick={() => dialog.current?.close()}>
            Close
          </button>
        </div>

        <form className="flex flex-wrap items-end gap-2" onSubmit={invite}>
          <div className="min-w-48 flex-1">
            <label className="label" htmlFor={emailId}>
              Email
            </label>
            <input
              id={emailId}
              name="email"
              type="email"
              required
              autoComplete="off"
              className="field"
              placeholder="name@example.com"
            />
          </div>
          <div>
            <label className="label" htmlFor={roleId}>
              Role
            </label>
            <select id={roleId} name="role" className="field" defaultValue="editor">
              <option value="editor">Editor</option>
              <option value="viewer">Viewer</option>
            </select>
          </div>
          <button type="submit" className="btn-primary" disabled={isSending}>
            Invite
          </button>
        </form>
        <p className="text-xs text-slate-600 dark:text-slate-400">
          Editors add, change and complete todos; viewers only read. The invitation is accepted from an account whose
          email is verified.
        </p>
        {status ? (
          <p role="status" className="text-sm text-green-800 dark:text-green-300">
            {status}
          </p>
        ) : null}
        {error ? (
          <p role="alert" className="text-sm text-red-700 dark:text-red-400">
            {error}
          </p>
        ) : null}

        <section aria-labelledby={`${titleId}-members`}>
          <h3 id={`${titleId}-members`} className="mb-1 text-sm font-semibold">
            Members
          </h3>
          {members === null ? (
            <p className="text-sm text-slate-600 dark:text-slate-400">Loading…</p>
          ) : (
            <ul aria-label="Members" className="divide-y divide-slate-200 dark:divide-slate-800">
              {members.map((member) => (
                <MemberRow
                  key={member.userId}
                  member={member}
                  onRole={(role) =>
                    void run(
                      () => sharingApi.changeMemberRole(list.id, member.userId, role),
                      `${displayName(member)} is now ${ROLE_LABELS[role].toLowerCase()}.`,
                    )
                  }
                  onRemove={() =>
                    void run(
                      () => sharingApi.removeMember(list.id, member.userId),
                      `${displayName(member)} was removed.`,
                    )
                  }
                />
              ))}
            </ul>
          )}
        </section>

        {invitations.length > 0 ? (
          <section aria-labelledby={`${titleId}-pending`}>
            <h3 id={`${titleId}-pending`} className="mb-1 text-sm font-semibold">
              Pending invitations
            </h3>
            <ul aria-label="Pending invitations" className="divide-y divide-slate-200 dark:divide-slate-800">
              {invitations.map((invitation) => (
                <li key={invitation.id} className="flex items-center gap-2 py-1.5 text-sm">
                  <span id={`${titleId}-${invitation.id}`} className="min-w-0 flex-1 truncate" title={invitation.email}>
                    {invitation.email}
                  </span>
                  <span className="text-slate-600 dark:text-slate-400">{ROLE_LABELS[invitation.role]}</span>
                  <button
                    type="button"
                    className="btn-ghost"
                    aria-describedby={`${titleId}-${invitation.id}`}
                    onClick={() =>
                      void run(
                        () => sharingApi.deleteInvitation(invitation.id),
                        `The invitation of ${invitation.email} was withdrawn.`,
                      )
                    }
                  >
                    Withdraw
                  </button>
                </li>
              ))}
            </ul>
          </section>
        ) : null}
      </div>
    </dialog>
  );
}

function MemberRow({ member, onRole, onRemove }: { member: Member; onRole(role: MemberRole): void; onRemove(): void }) {
  const nameId = useId();
  const name = displayName(member);
  return (
    <li aria-labelledby={nameId} className="flex flex-wrap items-center gap-2 py-1.5 text-sm">
      <span id={nameId} className="min-w-0 flex-1 truncate" title={member.email}>
        {name}
        {member.name.trim() ? <span className="text-slate-600 dark:text-slate-400"> · {member.email}</span> : null}
      </span>
      {member.role === "owner" ? (
        <span className="px-2 text-slate-600 dark:text-slate-400">Owner</span>
      ) : (
        <>
          {/* "Access", not "Role": the invite form's Role field keeps a name of its own. */}
          <select
            aria-label={`Access of ${name}`}
            className="field w-auto py-1 text-sm"
            value={member.role}
            onChange={(event) => onRole(event.currentTarget.value as MemberRole)}
          >
            <option value="editor">Editor</option>
            <option value="viewer">Viewer</option>
          </select>
          <button
            type="button"
            className="btn-ghost hover:text-red-700 dark:hover:text-red-400"
            aria-describedby={nameId}
            onClick={onRemove}
          >
            Remove
          </button>
        </>
      )}
    </li>
  );
}
