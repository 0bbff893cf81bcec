"use client";

import { type FormEvent, type ReactNode, useState } from "react";

type Props = {
  /** Names the form for assistive technology, e.g. "Add a passkey". */
  label: string;
  submit: string;
  /** Runs with the form's fields; what it throws is shown in the form's alert, through `describeFailure`. */
  onSubmit: (data: FormData) => Promise<void>;
  describeFailure: (failure: unknown) => string;
  onCancel: () => void;
  className?: string;
  children: ReactNode;
};

/**
 * The small forms of Settings → Security (confirm an authenticator app, add or rename a passkey,
 * every step-up): their fields, then an alert for what went wrong, the action and Cancel. The
 * buttons are disabled while it sends, and stay so after a success: the form's owner closes it.
 */
export function FactorForm({ label, submit, onSubmit, describeFailure, onCancel, className, children }: Props) {
  const [isPending, setIsPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function handle(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    setIsPending(true);
    setError(null);
    try {
      await onSubmit(data);
    } catch (failure) {
      setError(describeFailure(failure));
      setIsPending(false);
    }
  }

  return (
    <form aria-label={label} className={className ?? "mt-3 space-y-3"} onSubmit={handle}>
      {children}
      <p role="alert" className="text-sm text-red-700 empty:hidden dark:text-red-400">
        {error}
      </p>
      <div className="flex flex-wrap gap-2">
        <button type="submit" className="btn-primary" disabled={isPending}>
          {submit}
        </button>
        <button type="button" className="btn-secondary" onClick={onCancel} disabled={isPending}>
          Cancel
        </button>
      </div>
    </form>
  );
}
