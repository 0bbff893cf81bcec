import type { ServerProcess } from "../helpers/process.ts";

/** One request of a load run, as the client saw it. */
export interface Sample {
  method: string;
  path: string;
  startedAt: number;
  endedAt: number;
  /** 0: no answer (the connection failed or the client gave up). */
  status: number;
  retryAfter: string | null;
  contentType: string | null;
  code: string | undefined;
  /** The id of a todo the server acknowledged creating. */
  createdId: string | undefined;
}

export interface LoadTarget {
  server: ServerProcess;
  token: string;
}

/** A request the load sends; `n` counts requests, so a mix alternates. */
export type LoadRequest = (n: number) => { method: string; path: string; body?: unknown };

/** Reads and creates todos, alternately: a list read, then a write. */
export const readsAndWrites: LoadRequest = (n) =>
  n % 2 === 0
    ? { method: "GET", path: "/api/v1/todos?limit=20" }
    : { method: "POST", path: "/api/v1/todos", body: { title: `load ${n}` } };

/** Client-side give-up, far beyond anything the API should take, so a hang shows in the figures. */
const CLIENT_TIMEOUT_MS = 45_000;

async function send(target: LoadTarget, request: ReturnType<LoadRequest>): Promise<Sample> {
  const startedAt = performance.now();
  const headers: Record<string, string> = { authorization: `Bearer ${target.token}` };
  if (request.body !== undefined) headers["content-type"] = "application/json";
  try {
    const response = await fetch(`${target.server.url}${request.path}`, {
      method: request.method,
      headers,
      ...(request.body !== undefined ? { body: JSON.stringify(request.body) } : {}),
      signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS),
    });
    const text = await response.text();
    let body: { code?: string; id?: string } = {};
    try {
      body = text ? JSON.parse(text) : {};
    } catch {
      // Not JSON: the figures show the status alone.
    }
    return {
      method: request.method,
      path: request.path,
      startedAt,
      endedAt: performance.now(),
      status: response.status,
      retryAfter: response.headers.get("retry-after"),
      contentType: response.headers.get("content-type"),
      code: body.code,
      createdId: request.method === "POST" && response.status === 201 ? body.id : undefined,
    };
  } catch {
    return {
      method: request.method,
      path: request.path,
      startedAt,
      endedAt: performance.now(),
      status: 0,
      retryAfter: null,
      contentType: null,
      code: undefined,
      createdId: undefined,
    };
  }
}

export interface LoadRun {
  /** Stops starting requests and resolves with every sample once the last answer is in. */
  stop(): Promise<Sample[]>;
}

/**
 * Open-loop load: a request every `1000 / ratePerSecond` ms, spread over the targets in turn,
 * whether or not earlier ones have been answered (a hung API piles requests up, as in production).
 */
export function startLoad(
  targets: LoadTarget[],
  ratePerSecond: number,
  request: LoadRequest = readsAndWrites,
): LoadRun {
  const pending: Promise<Sample>[] = [];
  let n = 0;
  const timer = setInterval(() => {
    const target = targets[n % targets.length]!;
    pending.push(send(target, request(n)));
    n++;
  }, 1000 / ratePerSecond);
  return {
    async stop() {
      clearInterval(timer);
      return Promise.all(pending);
    },
  };
}

export interface FaultFigures {
  requests: number;
  byStatus: Record<string, number>;
  /** Longest time a request that started during the fault took to be answered, ms. */
  longestDuringFaultMs: number;
  /** From the end of the fault to the first 2xx of a request started after it, ms. */
  firstSuccessAfterRecoveryMs: number | null;
  /** Failures (non-2xx) of requests started more than a second after the fault ended. */
  failuresAfterRecovery: number;
}

export function summarise(samples: Sample[], fault: { from: number; to: number }): FaultFigures {
  const byStatus: Record<string, number> = {};
  for (const sample of samples) {
    const key = sample.code ? `${sample.status} ${sample.code}` : String(sample.status);
    byStatus[key] = (byStatus[key] ?? 0) + 1;
  }
  const during = samples.filter((sample) => sample.startedAt >= fault.from && sample.startedAt < fault.to);
  const after = samples.filter((sample) => sample.startedAt >= fault.to);
  const firstSuccess = after
    .filter((sample) => sample.status >= 200 && sample.status < 300)
    .reduce<number | null>(
      (first, sample) => (first === null || sample.endedAt < first ? sample.endedAt : first),
      null,
    );
  return {
    requests: samples.length,
    byStatus,
    longestDuringFaultMs: Math.round(Math.max(0, ...during.map((sample) => sample.endedAt - sample.startedAt))),
    firstSuccessAfterRecoveryMs: firstSuccess === null ? null : Math.round(firstSuccess - fault.to),
    failuresAfterRecovery: after.filter(
      (sample) => sample.startedAt >= fault.to + 1000 && (sample.status < 200 || sample.status >= 300),
    ).length,
  };
}

/** Polls /readyz on each server every `everyMs` until stopped; returns each probe's status and time. */
export function pollReadiness(servers: ServerProcess[], everyMs = 200) {
  const probes: Promise<{ status: number; ms: number; at: number }>[] = [];
  const timer = setInterval(() => {
    for (const server of servers) {
      const at = performance.now();
      probes.push(
        fetch(`${server.url}/readyz`, { signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS) }).then(
          async (response) => {
            await response.arrayBuffer();
            return { status: response.status, ms: Math.round(performance.now() - at), at };
          },
          () => ({ status: 0, ms: Math.round(performance.now() - at), at }),
        ),
      );
    }
  }, everyMs);
  return {
    async stop() {
      clearInterval(timer);
      return Promise.all(probes);
    },
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
