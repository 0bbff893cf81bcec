import type { Metadata } from "next";
import Link from "next/link";
import { loadAuthConfig } from "@/features/auth/auth-config.server.ts";
import { AuthForm } from "@/features/auth/auth-form.tsx";
import { AUTH_LINK_CLASS, AuthFrame } from "@/features/auth/auth-frame.tsx";
import { safeNextPath } from "@/lib/safe-next.ts";

export const metadata: Metadata = { title: "Create account" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function SignUpPage({ searchParams }: Props) {
  const [{ next }, config] = await Promise.all([searchParams, loadAuthConfig()]);
  if (config.signup === "closed") {
    // AUTH_SIGNUP=closed: no form that could only fail.
    return (
      <AuthFrame title="Sign-up is closed">
        <p className="text-slate-700 dark:text-slate-300">
          This Taskvault server does not accept new accounts. Ask its administrator for one.
        </p>
        <p className="mt-4">
          <Link href="/signin" className={AUTH_LINK_CLASS}>
            Sign in
          </Link>
        </p>
      </AuthFrame>
    );
  }
  return <AuthForm mode="signup" next={safeNextPath(typeof next === "string" ? next : null)} notice={null} />;
}
