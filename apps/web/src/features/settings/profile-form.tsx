"use client";

import type { User } from "@taskvault/contract/auth";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { TextField } from "@/features/auth/text-field.tsx";
import { BffError } from "@/lib/bff-client.ts";
import { updateProfile } from "./profile-api.ts";
import { FormStatus, SettingsCard } from "./settings-card.tsx";

export function ProfileForm({ user }: { user: User }) {
  const router = useRouter();
  const [isPending, setIsPending] = useState(false);
  const [status, setStatus] = useState<{ tone: "ok" | "error"; message: string } | null>(null);
  const [errors, setErrors] = useState<Record<string, string[]>>({});

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const name = String(new FormData(event.currentTarget).get("name") ?? "");
    setIsPending(true);
    setStatus(null);
    setErrors({});
    try {
      await updateProfile({ name });
      setStatus({ tone: "ok", message: "Name saved." });
      // Re-render the server parts (the header shows the name) without a full reload.
      router.refresh();
    } catch (error) {
      if (error instanceof BffError) setErrors(error.fieldErrors);
      setStatus({ tone: "error", message: error instanceof Error ? error.message : "Could not save." });
    } finally {
      setIsPending(false);
    }
  }

  return (
    <SettingsCard title="Profile" description={`Signed in as ${user.email}.`}>
      <form className="space-y-3" onSubmit={onSubmit}>
        <TextField
          label="Name"
          name="name"
          autoComplete="name"
          defaultValue={user.name}
          maxLength={100}
          errors={errors.name}
        />
        <div className="flex items-center gap-3">
          <button type="submit" className="btn-primary" disabled={isPending}>
            {isPending ? "Saving…" : "Save name"}
          </button>
          <FormStatus status={status} />
        </div>
      </form>
    </SettingsCard>
  );
}
