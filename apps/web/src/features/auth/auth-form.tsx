"use client";

import { localTimeZone } from "@taskvault/contract/calendar";
import type { MfaMethod } from "@taskvault/contract/mfa";
import Link from "next/link";
import { type FormEvent, useState } from "react";
import { BffError, bff } from "@/lib/bff-client.ts";
import { PasskeySignIn } from "../mfa/passkey-sign-in.tsx";
import { SecondFactorStep } from "../mfa/second-factor-step.tsx";
import { updateProfile } from "../settings/profile-api.ts";
import { SsoSignInButton } from "../sso/sso-sign-in-button.tsx";
import { AUTH_LINK_CLASS, AuthFrame } from "./auth-frame.tsx";
import { PasswordField } from "./password-field.tsx";
import { TextField } from "./text-field.tsx";

type Mode = "signin" | "signup";
type Props = {
  mode: Mode;
  next: string;
  notice: string | null;
  signupOpen?: boolean;
  /** The single sign-on provider's name when the API has one (GET /api/v1/auth/oidc). */
  ssoName?: string | null;
  /** A single sign-on that still needs the account's second factor lands here with its methods. */
  initialSecondStep?: MfaMethod[] | null;
};

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
export function AuthForm({ mode, next, notice, signupOpen = true, ssoName = null, initialSecondStep = null }: Props) {
  const copy = COPY[mode];
  const [isPending, setIsPending] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]>>({});
  /** Set once the password is right for an account with a second factor. */
  const [secondStep, setSecondStep] = useState<MfaMethod[] | null>(initialSecondStep);

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
      const { data } = await bff<{ mfaRequired?: true; methods?: MfaMethod[] }>(copy.endpoint, {
        method: "POST",
        body,
        redirectOnUnauthorized: false,
      });
      if (data?.mfaRequired) {
        setIsPending(false);
        setSecondStep(data.methods ?? []);
        return;
      }
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

  // With AUTH_SIGNUP=closed the sign-in page offers no way to create an account.
  const other =
    mode === "signup"
      ? { prompt: "Already have an account?", label: "Sign in instead", href: "/signin" }
      : signupOpen
        ? { prompt: "New to Taskvault?", label: "Create an account", href: "/signup" }
        : null;

  const footer = other ? (
    <>
      {other.prompt}{" "}
      <Link
        href={next === "/" ? other.href : `${other.href}?next=${encodeURIComponent(next)}`}
        className={AUTH_LINK_CLASS}
      >
        {other.label}
      </Link>
    </>
  ) : null;

  return (
    <AuthFrame title={secondStep ? "Two-step verification" : copy.title} notice={notice} footer={footer}>
      {secondStep ? (
        <SecondFactorStep
          methods={secondStep}
          next={next}
          onRestart={(text) => {
            setSecondStep(null);
            setMessage(text);
          }}
        />
      ) : (
        <>
          <form className="space-y-4" noValidate onSubmit={onSubmit}>
            {mode === "signup" ? (
              <TextField label="Name" name="name" autoComplete="name" maxLength={100} errors={fieldErrors.name} />
            ) : null}
            <TextField
              label="Email"
              name="email"
              type="email"
              // "webauthn" lets the browser offer passkeys among the field's suggestions (conditional mediation).
              autoComplete={mode === "signin" ? "username webauthn" : "email"}
              required
              errors={fieldErrors.email}
            />
            <PasswordField
              label="Password"
              name="password"
              autoComplete={mode === "signin" ? "current-password" : "new-password"}
              errors={fieldErrors.password}
              hint={mode === "signup" ? "At least 8 characters. A long phrase is easier to remember." : undefined}
            />
            {mode === "signin" ? (
              <p className="text-right text-sm">
                <Link href="/forgot-password" className={AUTH_LINK_CLASS}>
                  Forgot password?
                </Link>
              </p>
            ) : null}
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
          {mode === "signin" ? (
            <div className="mt-4 space-y-4">
              <p className="text-center text-sm text-slate-500">or</p>
              <PasskeySignIn next={next} onMessage={setMessage} />
              {ssoName ? <SsoSignInButton name={ssoName} next={next} /> : null}
            </div>
          ) : null}
        </>
      )}
    </AuthFrame>
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
    case 403:
      return error.problem?.code === "signup_closed" ? "This server does not accept new accounts." : error.message;
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
