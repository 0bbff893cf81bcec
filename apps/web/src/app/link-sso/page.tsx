import { User } from "@taskvault/contract/auth";
import type { Metadata } from "next";
import { cookies, headers } from "next/headers";
import Link from "next/link";
import { AUTH_LINK_CLASS, AuthFrame } from "@/features/auth/auth-frame.tsx";
import { hasSession, loadFromApi } from "@/features/auth/session.server.ts";
import { LinkSsoForm } from "@/features/sso/link-sso-form.tsx";
import { loadOidcConfig } from "@/features/sso/sso-config.server.ts";
import { readSsoLink } from "@/features/sso/sso-cookies.server.ts";

export const metadata: Metadata = { title: "Link single sign-on", referrer: "no-referrer" };

/**
 * `/link-sso` – where a single sign-on lands when an account that is not linked already uses the
 * provider's email: nobody was signed in. Signed out, it asks the person to sign in to that
 * account the ordinary way (password and second factor); signed in, it offers **Link**. The link
 * ticket stays in its HttpOnly cookie; this page only learns the email it was issued for.
 */
export default async function LinkSsoPage() {
  const [jar, incoming, sso, isSignedIn] = await Promise.all([cookies(), headers(), loadOidcConfig(), hasSession()]);
  const secure = incoming.get("x-forwarded-proto")?.split(",")[0]?.trim() === "https";
  const link = readSsoLink(jar, secure);
  const name = sso.name || "single sign-on";

  if (!link) {
    return (
      <AuthFrame title="Nothing to link">
        <p className="text-sm text-slate-600 dark:text-slate-400">
          This link request has expired or was already used. To link {name}, choose Sign in with {name} on the sign-in
          page again.
        </p>
        <p className="mt-4 text-sm">
          <Link href={isSignedIn ? "/settings" : "/signin"} className={AUTH_LINK_CLASS}>
            {isSignedIn ? "Back to settings" : "Back to sign in"}
          </Link>
        </p>
      </AuthFrame>
    );
  }

  if (!isSignedIn) {
    return (
      <AuthFrame title={`Link ${name} to your account`}>
        <div className="space-y-4 text-sm text-slate-600 dark:text-slate-400">
          <p>
            An account with the email <strong className="text-slate-900 dark:text-slate-100">{link.email}</strong>{" "}
            already exists, so nobody was signed in.
          </p>
          <p>
            If it is yours, sign in to it with its password (and its second factor, if it has one). You can then link{" "}
            {name} to it and use either way in from then on.
          </p>
        </div>
        <Link href="/signin?next=/link-sso" className="btn-primary mt-6 block w-full text-center">
          Sign in to link
        </Link>
      </AuthFrame>
    );
  }

  const user = await loadFromApi("/api/v1/me", User, "/link-sso");
  return (
    <AuthFrame title={`Link ${name} to your account`}>
      <LinkSsoForm name={name} providerEmail={link.email} accountEmail={user.email} />
    </AuthFrame>
  );
}
