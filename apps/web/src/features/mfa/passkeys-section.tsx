"use client";

import type { Passkey } from "@taskvault/contract/mfa";
import { useState } from "react";
import { FactorForm } from "./factor-form.tsx";
import { describePasskeyFailure } from "./failure-messages.ts";
import { addPasskey, removePasskey, renamePasskey } from "./mfa-api.ts";
import { SignOutOthersCheckbox, type Status, StepUpForm } from "./step-up-form.tsx";
import type { StepUpMethods } from "./step-up-proof.ts";

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });

type Props = {
  passkeys: Passkey[];
  /** Removing this passkey would leave the account without a second factor: the step-up is asked. */
  isLastFactor: (passkey: Passkey) => boolean;
  /** The password, or for an account without one a second factor (this passkey itself, when it is the last). */
  stepUp: StepUpMethods;
  onAdded: (passkey: Passkey) => void;
  onRenamed: (passkey: Passkey) => void;
  onRemoved: (passkey: Passkey) => void;
  setStatus: (status: Status) => void;
};

/** Settings → Security: passkeys (WebAuthn), for signing in without a password or as the second step. */
export function PasskeysSection({ passkeys, isLastFactor, stepUp, onAdded, onRenamed, onRemoved, setStatus }: Props) {
  const [isAdding, setIsAdding] = useState(false);
  const [editing, setEditing] = useState<{ id: string; action: "rename" | "remove" } | null>(null);

  return (
    <div>
      <h3 className="font-semibold">Passkeys</h3>
      <p className="text-sm text-slate-600 dark:text-slate-400">
        Sign in with your fingerprint, face or screen lock instead of a password. A passkey also works as the second
        step after your password.
      </p>
      {passkeys.length > 0 ? (
        <ul aria-label="Passkeys" className="mt-2 divide-y divide-slate-200 dark:divide-slate-800">
          {passkeys.map((passkey) => (
            <li key={passkey.id} className="py-3">
              <div className="flex flex-wrap items-center justify-between gap-2">
                <div className="min-w-0">
                  <p className="font-medium">
                    {passkey.name}
                    <span className="ml-2 rounded-full bg-slate-100 px-2 py-0.5 text-xs font-semibold dark:bg-slate-800">
                      {passkey.synced ? "Synced" : "This device"}
                    </span>
                  </p>
                  <p className="text-sm text-slate-600 dark:text-slate-400">
                    Added{" "}
                    <time dateTime={passkey.createdAt} suppressHydrationWarning>
                      {dateFormat.format(new Date(passkey.createdAt))}
                    </time>
                    {" · "}
                    {passkey.lastUsedAt ? (
                      <>
                        Last used{" "}
                        <time dateTime={passkey.lastUsedAt} suppressHydrationWarning>
                          {dateFormat.format(new Date(passkey.lastUsedAt))}
                        </time>
                      </>
                    ) : (
                      "Never used to sign in"
                    )}
                  </p>
                </div>
                <div className="flex gap-2">
                  <button
                    type="button"
                    className="btn-secondary"
                    aria-label={`Rename ${passkey.name}`}
                    onClick={() => setEditing({ id: passkey.id, action: "rename" })}
                  >
                    Rename
                  </button>
                  <button
                    type="button"
                    className="btn-secondary"
                    aria-label={`Remove ${passkey.name}`}
                    onClick={() => setEditing({ id: passkey.id, action: "remove" })}
                  >
                    Remove
                  </button>
                </div>
              </div>
              {editing?.id === passkey.id && editing.action === "rename" ? (
                <RenameForm
                  passkey={passkey}
                  onCancel={() => setEditing(null)}
                  onRenamed={(renamed) => {
                    setEditing(null);
                    onRenamed(renamed);
                  }}
                />
              ) : null}
              {editing?.id === passkey.id && editing.action === "remove" ? (
                <StepUpForm
                  label={`Remove ${passkey.name}`}
                  submit="Remove passkey"
                  stepUp={stepUp}
                  asksProof={isLastFactor(passkey)}
                  offersSignOut
                  onCancel={() => setEditing(null)}
                  onSubmit={async ({ proof, endOtherSessions }) => {
                    await removePasskey(passkey.id, proof, endOtherSessions);
                    setEditing(null);
                    onRemoved(passkey);
                  }}
                >
                  <p className="text-sm">
                    {!isLastFactor(passkey)
                      ? "You will no longer be able to sign in with this passkey."
                      : stepUp.password
                        ? "This is your last second factor: sign-in will ask only for your password. Confirm with it."
                        : "This is your last second factor: sign-in will need only single sign-on."}
                  </p>
                </StepUpForm>
              ) : null}
            </li>
          ))}
        </ul>
      ) : (
        <p className="mt-2 text-sm">No passkeys yet.</p>
      )}
      {isAdding ? (
        <AddPasskeyForm
          onCancel={() => setIsAdding(false)}
          onAdded={(passkey) => {
            setIsAdding(false);
            onAdded(passkey);
          }}
          setStatus={setStatus}
        />
      ) : (
        <button type="button" className="btn-secondary mt-3" onClick={() => setIsAdding(true)}>
          Add a passkey
        </button>
      )}
    </div>
  );
}

/** A suggested name: what the browser says the device is, so a list of several stays readable. */
function suggestedName(): string {
  const agent = typeof navigator === "undefined" ? "" : navigator.userAgent;
  const system = /Android/.test(agent)
    ? "Android"
    : /iPhone|iPad/.test(agent)
      ? "iPhone"
      : /Mac OS X/.test(agent)
        ? "Mac"
        : /Windows/.test(agent)
          ? "Windows"
          : /Linux/.test(agent)
            ? "Linux"
            : "";
  return system ? `Passkey on ${system}` : "My passkey";
}

function AddPasskeyForm({
  onCancel,
  onAdded,
  setStatus,
}: {
  onCancel: () => void;
  onAdded: (passkey: Passkey) => void;
  setStatus: (status: Status) => void;
}) {
  return (
    <FactorForm
      label="Add a passkey"
      submit="Create passkey"
      describeFailure={describePasskeyFailure}
      onCancel={onCancel}
      onSubmit={async (data) => {
        setStatus(null);
        onAdded(await addPasskey(String(data.get("name") ?? ""), data.get("endOtherSessions") === "on"));
      }}
    >
      <NameField defaultValue={suggestedName()} />
      <SignOutOthersCheckbox />
    </FactorForm>
  );
}

function RenameForm({
  passkey,
  onCancel,
  onRenamed,
}: {
  passkey: Passkey;
  onCancel: () => void;
  onRenamed: (passkey: Passkey) => void;
}) {
  return (
    <FactorForm
      label={`Rename ${passkey.name}`}
      submit="Save name"
      describeFailure={describePasskeyFailure}
      onCancel={onCancel}
      onSubmit={async (data) => onRenamed(await renamePasskey(passkey.id, String(data.get("name") ?? "")))}
    >
      <NameField defaultValue={passkey.name} />
    </FactorForm>
  );
}

function NameField({ defaultValue }: { defaultValue: string }) {
  return (
    <label className="block">
      <span className="label">Passkey name</span>
      <input name="name" type="text" required maxLength={100} defaultValue={defaultValue} className="field" />
    </label>
  );
}
