import type { ReactNode } from "react";

/** The frame of the signed-out pages (sign in, sign up, password reset, email links): brand, card, footer. */
export function AuthFrame({
  title,
  notice,
  footer,
  children,
}: {
  title: string;
  /** A note above the content, e.g. why the person is here. */
  notice?: string | null;
  footer?: ReactNode;
  children: ReactNode;
}) {
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
        <h1 className="mb-6 text-2xl font-bold tracking-tight">{title}</h1>
        {notice ? (
          <p className="mb-4 rounded-lg bg-amber-50 p-3 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100">
            {notice}
          </p>
        ) : null}
        {children}
      </div>
      {footer ? <p className="mt-6 text-center text-sm text-slate-600 dark:text-slate-400">{footer}</p> : null}
    </main>
  );
}

export const AUTH_LINK_CLASS = "font-semibold text-brand-600 underline-offset-2 hover:underline dark:text-brand-50";
