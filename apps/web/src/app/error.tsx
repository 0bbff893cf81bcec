"use client";

/** Shown when a page could not load its data (the API is down or answered an error). */
export default function PageError({ reset }: { error: Error; reset(): void }) {
  return (
    <main className="mx-auto flex min-h-dvh max-w-md flex-col items-center justify-center gap-4 px-4 text-center">
      <h1 className="text-2xl font-bold">Something went wrong</h1>
      <p className="text-slate-600 dark:text-slate-400">
        Taskvault could not load this page. Your data is safe; please try again.
      </p>
      <button type="button" className="btn-primary" onClick={reset}>
        Try again
      </button>
    </main>
  );
}
