import type { User } from "@taskvault/contract/auth";
import Link from "next/link";
import type { ReactNode } from "react";
import { VerifyEmailBanner } from "@/features/account-mail/verify-email-banner.tsx";
import { SignOutButton } from "./sign-out-button.tsx";

/** The frame of signed-in pages: brand, navigation, who is signed in, and Sign out. */
export function AppShell({
  user,
  current,
  children,
}: {
  user: User;
  current: "todos" | "settings";
  children: ReactNode;
}) {
  const linkClass = (page: typeof current) =>
    `rounded-lg px-3 py-1.5 text-sm font-medium ${
      page === current
        ? "bg-slate-200 text-slate-900 dark:bg-slate-800 dark:text-white"
        : "text-slate-600 hover:bg-slate-200 dark:text-slate-300 dark:hover:bg-slate-800"
    }`;
  return (
    // The todos page is wider: its lists sidebar sits beside the todos from `md` up.
    <div className={`mx-auto w-full px-3 pb-24 sm:px-6 ${current === "todos" ? "max-w-4xl" : "max-w-3xl"}`}>
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:rounded focus:bg-white focus:p-2"
      >
        Skip to content
      </a>
      <header className="flex flex-wrap items-center justify-between gap-3 py-4">
        <div className="flex items-center gap-3">
          <span
            aria-hidden="true"
            className="grid size-9 place-items-center rounded-xl bg-brand-600 font-bold text-white"
          >
            ✓
          </span>
          <nav aria-label="Main" className="flex gap-1">
            <Link href="/" className={linkClass("todos")} aria-current={current === "todos" ? "page" : undefined}>
              Todos
            </Link>
            <Link
              href="/settings"
              className={linkClass("settings")}
              aria-current={current === "settings" ? "page" : undefined}
            >
              Settings
            </Link>
          </nav>
        </div>
        <div className="flex items-center gap-3">
          <span
            className="hidden max-w-48 truncate text-sm text-slate-600 sm:inline dark:text-slate-400"
            title={user.email}
          >
            {user.name || user.email}
          </span>
          <SignOutButton />
        </div>
      </header>
      <main id="main">
        {/* Settings show the same state and button in their Email section. */}
        {user.emailVerified || current === "settings" ? null : <VerifyEmailBanner email={user.email} />}
        {children}
      </main>
    </div>
  );
}
