"use client";

import type { Change, ChangePage } from "@taskvault/contract/changes";
import type { List } from "@taskvault/contract/lists";
import type { Todo } from "@taskvault/contract/todos";
import { useEffect, useRef, useState } from "react";
import { signInAgain } from "@/lib/bff-client.ts";
import { fetchAllTodos } from "./todo-api.ts";

export type LiveHandlers = {
  upserted(todo: Todo): void;
  deleted(id: string): void;
  listUpserted(list: List): void;
  listDeleted(id: string): void;
  /** The whole list, after a gap the change log could not fill (410 gone, or no seq known yet). */
  reloaded(todos: Todo[]): void;
};

/** `live`: the stream is open; `reconnecting`: it has been down for a moment (shown quietly). */
export type LiveStatus = "connecting" | "live" | "reconnecting";

const RETRY_AFTER_FAILURE_MS = 5000;
/** A routine reconnect (the stream ends when the access token expires) should not flash a notice. */
const QUIET_RECONNECT_MS = 4000;
const MAX_CATCH_UP_PAGES = 100;

/**
 * Follows `/api/events` so a change made in another tab or device shows up here within a second,
 * and catches up after a drop (network, sleeping laptop, offline):
 * - every change carries its `seq`; the last one applied is remembered and older or repeated
 *   ones are ignored, so a change is never applied twice;
 * - EventSource's own reconnects resume with Last-Event-ID; a stream this hook has to reopen
 *   (the first one, offline, closed after an error, back from sleep) starts at the present, so once it is open the
 *   gap is filled from `/api/changes?since=<seq>` (stream changes arriving meanwhile wait their turn);
 *   a 410 `gone`, or no seq known yet, reloads the whole list instead;
 * - `session.revoked` ends the stream and sends the browser to sign in.
 */
export function useLiveChanges(handlers: LiveHandlers): LiveStatus {
  const latest = useRef(handlers);
  latest.current = handlers;
  const [status, setStatus] = useState<LiveStatus>("connecting");

  useEffect(() => {
    let source: EventSource | null = null;
    let retry: number | undefined;
    let quietTimer: number | undefined;
    let isStopped = false;
    let lastSeq: number | null = null;
    let catchingUp: Change[] | null = null;

    const showReconnecting = (now: boolean) => {
      window.clearTimeout(quietTimer);
      if (now) setStatus("reconnecting");
      else quietTimer = window.setTimeout(() => setStatus("reconnecting"), QUIET_RECONNECT_MS);
    };

    const apply = (change: Change) => {
      if (catchingUp) {
        catchingUp.push(change);
        return;
      }
      if (lastSeq !== null && change.seq <= lastSeq) return;
      lastSeq = change.seq;
      if (change.type === "todo.upserted") latest.current.upserted(change.data);
      else if (change.type === "todo.deleted") latest.current.deleted(change.id);
      else if (change.type === "list.upserted") latest.current.listUpserted(change.data);
      else if (change.type === "list.deleted") latest.current.listDeleted(change.id);
    };

    const reload = async () => {
      lastSeq = null;
      latest.current.reloaded(await fetchAllTodos());
    };

    const catchUp = async () => {
      const waiting: Change[] = [];
      catchingUp = waiting;
      try {
        if (lastSeq === null) {
          await reload();
          return;
        }
        for (let page = 0; page < MAX_CATCH_UP_PAGES && !isStopped; page++) {
          const response: Response = await fetch(`/api/changes?since=${lastSeq}`, { cache: "no-store" });
          if (response.status === 410) {
            await reload();
            return;
          }
          if (response.status === 401) {
            signInAgain();
            return;
          }
          if (!response.ok) throw new Error(`catch-up answered ${response.status}`);
          const data = (await response.json()) as ChangePage;
          catchingUp = null;
          for (const change of data.changes) apply(change);
          catchingUp = waiting;
          lastSeq = Math.max(lastSeq ?? 0, data.seq);
          if (!data.hasMore) return;
        }
      } finally {
        catchingUp = null;
        for (const change of waiting) apply(change);
      }
    };

    const close = () => {
      source?.close();
      source = null;
    };

    const open = () => {
      window.clearTimeout(retry);
      close();
      if (isStopped) return;
      const current = new EventSource("/api/events");
      source = current;
      // The first connection of this source starts at the present; its own reconnects resume.
      let isFresh = true;
      current.onopen = () => {
        window.clearTimeout(quietTimer);
        setStatus("live");
        // Every fresh stream starts at the present, the very first one too: what changed between the
        // server render and this moment is filled in (with no seq yet, by reloading the list once).
        const needsCatchUp = isFresh || lastSeq === null;
        isFresh = false;
        if (needsCatchUp) {
          catchUp().catch(() => {
            // The next reopen tries again; meanwhile the stream keeps the view current.
            if (source === current) retry = window.setTimeout(open, RETRY_AFTER_FAILURE_MS);
          });
        }
      };
      for (const type of ["todo.upserted", "todo.deleted", "list.upserted", "list.deleted"]) {
        current.addEventListener(type, (event) => {
          const change = parse(event);
          if (change) apply(change);
        });
      }
      current.addEventListener("session.revoked", () => {
        close();
        signInAgain();
      });
      current.onerror = () => {
        if (isStopped || source !== current) return;
        showReconnecting(!navigator.onLine);
        if (current.readyState !== EventSource.CLOSED) return; // EventSource retries by itself
        void fetch("/api/me", { cache: "no-store" }).then(
          (response) => {
            if (response.status === 401) signInAgain();
            else if (!isStopped && source === current) retry = window.setTimeout(open, RETRY_AFTER_FAILURE_MS);
          },
          () => {
            if (!isStopped && source === current) retry = window.setTimeout(open, RETRY_AFTER_FAILURE_MS);
          },
        );
      };
    };

    const goneOffline = () => {
      close();
      window.clearTimeout(retry);
      showReconnecting(true);
    };
    const backOnline = () => {
      if (!isStopped) open();
    };
    // A laptop back from sleep may hold a dead connection the browser has not noticed yet.
    const becameVisible = () => {
      if (document.visibilityState !== "visible" || isStopped || !navigator.onLine) return;
      if (!source || source.readyState === EventSource.CLOSED) open();
    };
    window.addEventListener("offline", goneOffline);
    window.addEventListener("online", backOnline);
    document.addEventListener("visibilitychange", becameVisible);

    // Connect once the page is idle: hydration and first input matter more than the stream.
    const hasIdle = typeof window.requestIdleCallback === "function";
    const start = hasIdle ? window.requestIdleCallback(open, { timeout: 1000 }) : window.setTimeout(open, 200);
    return () => {
      isStopped = true;
      if (hasIdle) window.cancelIdleCallback(start);
      else window.clearTimeout(start);
      window.clearTimeout(retry);
      window.clearTimeout(quietTimer);
      window.removeEventListener("offline", goneOffline);
      window.removeEventListener("online", backOnline);
      document.removeEventListener("visibilitychange", becameVisible);
      close();
    };
  }, []);

  return status;
}

function parse(event: Event): Change | null {
  try {
    const change = JSON.parse((event as MessageEvent<string>).data) as Change;
    return typeof change?.seq === "number" ? change : null;
  } catch {
    return null;
  }
}
