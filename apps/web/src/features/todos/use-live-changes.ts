"use client";

import type { Todo } from "@taskvault/contract/todos";
import { useEffect, useRef } from "react";
import { signInAgain } from "@/lib/bff-client.ts";

export type LiveHandlers = {
  upserted(todo: Todo): void;
  deleted(id: string): void;
};

const RETRY_AFTER_FAILURE_MS = 5000;

/**
 * Follows `/api/events` so a change made in another tab or device shows up here within a second.
 * EventSource reconnects by itself (with Last-Event-ID) when a stream ends; when it gives up (the
 * BFF answered an error) we check whether the session is over, else try again a little later.
 */
export function useLiveChanges(handlers: LiveHandlers) {
  const latest = useRef(handlers);
  latest.current = handlers;

  useEffect(() => {
    let source: EventSource | null = null;
    let retry: number | undefined;
    let isStopped = false;

    const open = () => {
      source = new EventSource("/api/events");
      source.addEventListener("todo.upserted", (event) => {
        const change = parse(event);
        if (change?.data) latest.current.upserted(change.data as Todo);
      });
      source.addEventListener("todo.deleted", (event) => {
        const change = parse(event);
        if (change?.id) latest.current.deleted(change.id);
      });
      source.addEventListener("session.revoked", () => {
        source?.close();
        signInAgain();
      });
      source.onerror = () => {
        if (source?.readyState !== EventSource.CLOSED || isStopped) return;
        void fetch("/api/me", { cache: "no-store" }).then(
          (response) => {
            if (response.status === 401) signInAgain();
            else if (!isStopped) retry = window.setTimeout(open, RETRY_AFTER_FAILURE_MS);
          },
          () => {
            if (!isStopped) retry = window.setTimeout(open, RETRY_AFTER_FAILURE_MS);
          },
        );
      };
    };
    // Connect once the page is idle: hydration and first input matter more than a stream that,
    // thanks to Last-Event-ID resumption, has nothing to catch up on yet.
    const hasIdle = typeof window.requestIdleCallback === "function";
    const start = hasIdle ? window.requestIdleCallback(open, { timeout: 1000 }) : window.setTimeout(open, 200);
    return () => {
      isStopped = true;
      if (hasIdle) window.cancelIdleCallback(start);
      else window.clearTimeout(start);
      window.clearTimeout(retry);
      source?.close();
    };
  }, []);
}

function parse(event: Event): { id?: string; data?: unknown } | null {
  try {
    return JSON.parse((event as MessageEvent<string>).data) as { id?: string; data?: unknown };
  } catch {
    return null;
  }
}
