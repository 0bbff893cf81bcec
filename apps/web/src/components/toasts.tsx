"use client";

import { useCallback, useEffect, useRef, useState } from "react";

export type Toast = { id: number; message: string; tone: "info" | "error"; action?: { label: string; run(): void } };
export type ShowToast = (toast: Omit<Toast, "id">) => void;

const TOAST_MS = 6000;

/** Short messages with an optional action (Undo); also read out by screen readers. */
export function useToasts() {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const nextId = useRef(1);

  const dismiss = useCallback((id: number) => setToasts((current) => current.filter((toast) => toast.id !== id)), []);
  const show: ShowToast = useCallback((toast) => {
    const id = nextId.current++;
    // Keep the last three: a burst of failures should not cover the page.
    setToasts((current) => [...current.slice(-2), { ...toast, id }]);
  }, []);

  return { toasts, show, dismiss };
}

export function ToastRegion({ toasts, dismiss }: { toasts: Toast[]; dismiss(id: number): void }) {
  return (
    <section
      aria-label="Notifications"
      aria-live="polite"
      className="pointer-events-none fixed inset-x-0 bottom-0 z-20 flex flex-col items-center gap-2 p-4"
    >
      {toasts.map((toast) => (
        <ToastView key={toast.id} toast={toast} dismiss={dismiss} />
      ))}
    </section>
  );
}

function ToastView({ toast, dismiss }: { toast: Toast; dismiss(id: number): void }) {
  useEffect(() => {
    const timer = window.setTimeout(() => dismiss(toast.id), TOAST_MS);
    return () => window.clearTimeout(timer);
  }, [toast.id, dismiss]);

  return (
    <div
      role={toast.tone === "error" ? "alert" : "status"}
      className={`pointer-events-auto flex w-full max-w-md items-center gap-3 rounded-xl px-4 py-3 text-sm shadow-lg ${
        toast.tone === "error"
          ? "bg-red-700 text-white dark:bg-red-600"
          : "bg-slate-900 text-white dark:bg-slate-100 dark:text-slate-900"
      }`}
    >
      <span className="flex-1">{toast.message}</span>
      {toast.action ? (
        <button
          type="button"
          className="rounded-md px-2 py-1 font-semibold underline underline-offset-2"
          onClick={() => {
            dismiss(toast.id);
            toast.action?.run();
          }}
        >
          {toast.action.label}
        </button>
      ) : null}
      <button
        type="button"
        className="rounded-md px-2 py-1 opacity-80"
        aria-label="Dismiss"
        onClick={() => dismiss(toast.id)}
      >
        ✕
      </button>
    </div>
  );
}
