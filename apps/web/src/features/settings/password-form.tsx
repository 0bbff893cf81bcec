"use client";

import { type FormEvent, useState } from "react";
import { PasswordField } from "@/features/auth/password-field.tsx";
import { BffError, bff } from "@/lib/bff-client.ts";
import { FormStatus, SettingsCard } from "./settings-card.tsx";

export function PasswordForm({ email }: { email: string }) {
  const [isPending, setIsPending] = useState(false);
  const [status, setStatus] = useState<{ tone: "ok" | "error"; message: string } | null>(null);
  const [errors, setErrors] = useState<Record<string, string[]>>({});

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    setIsPending(true);
    setStatus(null);
    setErrors({});
    try {
      await bff("/api/me/password", {
        method: "PUT",
        body: {
          currentPassword: String(data.get("currentPassword") ?? ""),
          newPassword: String(data.get("newPassword") ?? ""),
        },
        // A wrong current password is a 401 from the API, not an ended session.
        redirectOnUnauthorized: false,
      });
      form.reset();
      setStatus({ tone: "ok", message: "Password changed. Your other devices have been signed out." });
    } catch (error) {
      if (error instanceof BffError) {
        setErrors(error.fieldErrors);
        setStatus({
          tone: "error",
          message: error.status === 401 ? "The current password is not right." : error.message,
        });
      }
    } finally {
      setIsPending(false);
    }
  }

  return (
    <SettingsCard title="Password" description="Changing it signs out every other device.">
      <form className="space-y-3" onSubmit={onSubmit}>
        {/* Lets password managers know which account this password belongs to. */}
        <input type="text" name="username" autoComplete="username" value={email} readOnly hidden />
        <PasswordField
          label="Current password"
          name="currentPassword"
          autoComplete="current-password"
          errors={errors.currentPassword}
        />
        <PasswordField
          label="New password"
          name="newPassword"
          autoComplete="new-password"
          errors={errors.newPassword}
          minLength={8}
        />
        <div className="flex items-center gap-3">
          <button type="submit" className="btn-primary" disabled={isPending}>
            {isPending ? "Changing…" : "Change password"}
          </button>
          <FormStatus status={status} />
        </div>
      </form>
    </SettingsCard>
  );
}
