import type { FastifyInstance } from "fastify";

/** A server-sent event as a client sees it. */
export interface SseEvent {
  id: string | undefined;
  event: string;
  data: string;
}

export interface SseStream {
  status: number;
  headers: Headers;
  /** The body of a non-200 answer. */
  body: string;
  events: SseEvent[];
  comments: string[];
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  isEnded(): boolean;
  /** Waits until `count` events have arrived (or fails after `timeoutMs`). */
  waitForEvents(count: number, timeoutMs?: number): Promise<SseEvent[]>;
  /** Drops the connection from the client's side. */
  close(): void;
}

/** The app listening on a random loopback port (SSE needs a real socket: inject does not stream). */
export async function listen(app: FastifyInstance): Promise<string> {
  return app.listen({ port: 0, host: "127.0.0.1" });
}

/** Parses complete frames off `buffer`, returning what is left. */
function parseFrames(buffer: string, events: SseEvent[], comments: string[]): string {
  let rest = buffer;
  for (let end = rest.indexOf("\n\n"); end !== -1; end = rest.indexOf("\n\n")) {
    const frame = rest.slice(0, end);
    rest = rest.slice(end + 2);
    let id: string | undefined;
    let event = "message";
    const data: string[] = [];
    let isEvent = false;
    for (const line of frame.split("\n")) {
      if (line.startsWith(":")) {
        comments.push(line.slice(1).trim());
        continue;
      }
      const colon = line.indexOf(":");
      const field = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? "" : line.slice(colon + 1).replace(/^ /, "");
      if (field === "id") id = value;
      if (field === "event") event = value;
      if (field === "data") {
        data.push(value);
        isEvent = true;
      }
    }
    if (isEvent) events.push({ id, event, data: data.join("\n") });
  }
  return rest;
}

export async function openStream(
  baseUrl: string,
  token: string | undefined,
  options: { lastEventId?: string; query?: string } = {},
): Promise<SseStream> {
  const controller = new AbortController();
  const headers: Record<string, string> = { accept: "text/event-stream" };
  if (token) headers.authorization = `Bearer ${token}`;
  if (options.lastEventId !== undefined) headers["last-event-id"] = options.lastEventId;
  const response = await fetch(`${baseUrl}/api/v1/events${options.query ?? ""}`, {
    headers,
    signal: controller.signal,
  });
  const events: SseEvent[] = [];
  const comments: string[] = [];
  let ended = false;
  let body = "";
  const waiters = new Set<() => void>();
  const notify = () => {
    for (const waiter of waiters) waiter();
  };

  const done =
    response.status !== 200
      ? response.text().then((text) => {
          body = text;
          ended = true;
        })
      : (async () => {
          const reader = response.body!.getReader();
          const decoder = new TextDecoder();
          let buffer = "";
          try {
            for (;;) {
              const { value, done: finished } = await reader.read();
              if (finished) break;
              buffer = parseFrames(buffer + decoder.decode(value, { stream: true }), events, comments);
              notify();
            }
          } catch {
            // Aborted by close(), or the connection dropped.
          } finally {
            ended = true;
            notify();
          }
        })();
  if (response.status !== 200) await done;

  return {
    status: response.status,
    headers: response.headers,
    get body() {
      return body;
    },
    events,
    comments,
    ended: done,
    isEnded: () => ended,
    waitForEvents(count, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (events.length >= count) {
            cleanup();
            resolve(events.slice(0, count));
          } else if (ended) {
            cleanup();
            reject(new Error(`stream ended after ${events.length} of ${count} events`));
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`only ${events.length} of ${count} events within ${timeoutMs} ms`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    close: () => controller.abort(),
  };
}
