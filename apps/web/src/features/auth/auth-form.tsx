"use client";

import { localTimeZone } from "@taskvault/contract/calendar";
import Link from "next/link";
import { type FormEvent, useState } from "react";
import { BffError, bff } from "@/lib/bff-client.ts";
import { updateProfile } from "../settings/profile-api.ts";
import { PasswordField } from "./password-field.tsx";
import { TextField } from "./text-field.tsx";

type Mode = "signin" | "signup";
type Props = { mode: Mode; next: string; notice: string | null };

const COPY = {
  signin: { title: "Sign in to Taskvault", submit: "Sign in", pending: "Signing in…", endpoint: "/api/auth/signin" },
  signup: {
    title: "Create your account",
    submit: "Create account",
    pending: "Creating account…",
    endpoint: "/api/auth/signup",
  },
} as const;

/** Sign-in and sign-up share one form: the BFF sets the cookies, the page then loads `next`. */
export function AuthForm({ mode, next, notice }: Props) {
  const copy = COPY[mode];
  const [isPending, setIsPending] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]>>({});

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (isPending) return;
    const form = new FormData(event.currentTarget);
    const body: Record<string, string> = {
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
    };
    const name = String(form.get("name") ?? "").trim();
    if (mode === "signup" && name) body.name = name;
    setIsPending(true);
    setMessage(null);
    setFieldErrors({});
    try {
      await bff(copy.endpoint, { method: "POST", body, redirectOnUnauthorized: false });
      if (mode === "signup") await saveDeviceTimeZone();
      // A full navigation, so the next page renders on the server with the new cookies.
      window.location.assign(next);
    } catch (error) {
      setIsPending(false);
      if (!(error instanceof BffError)) throw error;
      setFieldErrors(error.fieldErrors);
      setMessage(describeFailure(mode, error));
    }
  }

  const other =
    mode === "signin"
      ? { prompt: "New to Taskvault?", label: "Create an account", href: "/signup" }
      : { prompt: "Already have an account?", label: "Sign in instead", href: "/signin" };
  const otherHref = next === "/" ? other.href : `${other.href}?next=${encodeURIComponent(next)}`;

  return (
    <main className="mx-auto flex min-h-dvh w-full max-w-md flex-col justify-center px-4 py-10">
      <div className="mb-6 flex items-center gap-3">
        <span
          aria-hidden="true"
          className="grid size-10 place-items-center rounded-xl bg-brand-600 text-lg font-bold text-white"
        >
          ✓
        </span>
        <span className="text-xl font-semibold tracking-tight">Taskvault</span>
      </div>
      <div className="card p-6 sm:p-8">
        <h1 className="mb-6 text-2xl font-bold tracking-tight">{copy.title}</h1>
        {notice ? (
          <p className="mb-4 rounded-lg bg-amber-50 p-3 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100">
            {notice}
          </p>
        ) : null}
        <form className="space-y-4" noValidate onSubmit={onSubmit}>
          {mode === "signup" ? (
            <TextField label="Name" name="name" autoComplete="name" maxLength={100} errors={fieldErrors.name} />
          ) : null}
          <TextField label="Email" name="email" type="email" autoComplete="email" required errors={fieldErrors.email} />
          <PasswordField
            label="Password"
            name="password"
            autoComplete={mode === "signin" ? "current-password" : "new-password"}
            errors={fieldErrors.password}
            hint={mode === "signup" ? "At least 8 characters. A long phrase is easier to remember." : undefined}
          />
          <div
            role="alert"
            aria-live="assertive"
            className="min-h-0 text-sm text-red-700 empty:hidden dark:text-red-400"
          >
            {message}
          </div>
          <button type="submit" className="btn-primary w-full" disabled={isPending} aria-disabled={isPending}>
            {isPending ? copy.pending : copy.submit}
          </button>
        </form>
      </div>
      <p className="mt-6 text-center text-sm text-slate-600 dark:text-slate-400">
        {other.prompt}{" "}
        <Link
          href={otherHref}
          className="font-semibold text-brand-600 underline-offset-2 hover:underline dark:text-brand-50"
        >
          {other.label}
        </Link>
      </p>
    </main>
  );
}

/**
 * A new profile counts days in UTC; the person signing up is probably where their device is. The
 * API's sign-up takes no zone, so it is set right after. Not worth failing the sign-up over.
 */
async function saveDeviceTimeZone() {
  const timeZone = localTimeZone();
  if (timeZone !== "UTC") await updateProfile({ timezone: timeZone }).catch(() => undefined);
}

function describeFailure(mode: Mode, error: BffError): string {
  switch (error.status) {
    case 401:
      return "That email and password do not match an account.";
    case 409:
      return "An account with this email already exists. Sign in instead?";
    case 422:
      return "Please fix the highlighted fields.";
    case 429:
      return "Too many attempts. Wait a moment and try again.";
    case 0:
      return error.message;
    default:
      return mode === "signin"
        ? "Could not sign you in. Please try again."
        : "Could not create your account. Please try again.";
  }
}
