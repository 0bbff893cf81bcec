import type { Metadata } from "next";
import { AuthForm } from "@/features/auth/auth-form.tsx";
import { safeNextPath } from "@/lib/safe-next.ts";

export const metadata: Metadata = { title: "Create account" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function SignUpPage({ searchParams }: Props) {
  const { next } = await searchParams;
  return <AuthForm mode="signup" next={safeNextPath(typeof next === "string" ? next : null)} notice={null} />;
}
