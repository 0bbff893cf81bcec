// The fixed-arrival-rate generator: HTTP/1.1 over raw kept-alive sockets, so that less of the
// generator's own CPU and garbage is in the latencies it measures on cores it shares with the
// server. With node:http's client a bare server's p99 at 1,000 req/s was 2.1–4.8 ms; with this,
// 1.6–2.0 ms (docs/benchmarks.md).
import { connect } from "node:net";

const HEADER_END = Buffer.from("\r\n\r\n");
const CRLF = Buffer.from("\r\n");
const NO_BODY_STATUS = new Set([204, 304]);
/** How long a request may stay unanswered before it counts as failed. */
const REQUEST_TIMEOUT_MS = 10_000;
const MAX_CONNECTIONS = 512;

/**
 * Request i is due at start + i / rate and is written then, on an idle connection or a new one,
 * whether or not earlier requests have been answered. Resolves with each answered request's
 * latency counted from the moment it was due (so a generator or server that falls behind shows it
 * as latency: no coordinated omission), the number that failed, and the run's length in seconds.
 *
 * @param {{ url: string, requests: object[], total: number, rate: number }} options
 *   requests: autocannon request specs ({ method, path, headers, body, setupRequest }), cycled through
 */
export function openLoop({ url, requests, total, rate }) {
  const { hostname, port } = new URL(url);
  const hostHeader = `host: ${hostname}:${port}\r\n`;
  const interval = 1000 / rate;
  const latencies = new Float64Array(total);
  const idle = [];
  const all = new Set();
  let answered = 0;
  let failed = 0;
  let sent = 0;
  let next = 0;
  const start = performance.now() + 10;

  return new Promise((resolve) => {
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      for (const connection of all) connection.socket.destroy();
      resolve({
        latencies: Array.from(latencies.subarray(0, answered)),
        failed,
        seconds: (performance.now() - start) / 1000,
      });
    };
    /** One request is done: its latency, or null when it failed. */
    const count = (latency) => {
      if (latency === null) failed++;
      else latencies[answered++] = latency;
      if (answered + failed === total) finish();
    };
    const settle = (connection, ok) => {
      connection.busy = false;
      count(ok ? performance.now() - connection.dueAt : null);
    };

    const open = () => {
      const socket = connect({ host: hostname, port: Number(port), noDelay: true });
      const connection = { socket, busy: false, dueAt: 0, response: null };
      all.add(connection);
      socket.on("data", (chunk) => {
        if (!connection.busy) return;
        const done = readResponse(connection.response, chunk);
        if (done === null) return;
        const reusable = done.ok && !done.close;
        settle(connection, done.ok);
        if (reusable) idle.push(connection);
        else socket.destroy();
      });
      socket.on("error", () => {});
      socket.on("close", () => {
        all.delete(connection);
        const index = idle.indexOf(connection);
        if (index !== -1) idle.splice(index, 1);
        if (connection.busy) settle(connection, false);
      });
      return connection;
    };

    const fire = (dueAt) => {
      const connection = idle.pop() ?? (all.size < MAX_CONNECTIONS ? open() : null);
      if (!connection) return count(null);
      const spec = requests[next++ % requests.length];
      const { method, path, headers = {}, body } = spec.setupRequest ? spec.setupRequest({ ...spec }) : spec;
      let head = `${method} ${path} HTTP/1.1\r\n${hostHeader}`;
      for (const [name, value] of Object.entries(headers)) head += `${name}: ${value}\r\n`;
      if (body !== undefined) head += `content-length: ${Buffer.byteLength(body)}\r\n`;
      connection.busy = true;
      connection.dueAt = dueAt;
      connection.response = newResponse();
      connection.socket.write(body === undefined ? `${head}\r\n` : `${head}\r\n${body}`);
    };

    const tick = () => {
      const now = performance.now();
      while (sent < total && start + sent * interval <= now) fire(start + sent++ * interval);
      if (sent < total) setTimeout(tick, Math.max(0, start + sent * interval - performance.now()));
      else
        setTimeout(() => {
          // Whatever is still unanswered has timed out.
          failed += total - answered - failed;
          finish();
        }, REQUEST_TIMEOUT_MS).unref();
    };
    setTimeout(tick, 10);
  });
}

const newResponse = () => ({ head: null, status: 0, close: false, bodyLeft: 0, chunked: null });

/**
 * Feeds one chunk of a response to its parser: null while incomplete, then { ok, close }. Handles
 * Content-Length and chunked bodies, which is all the API and the web app send.
 */
function readResponse(response, chunk) {
  let rest = chunk;
  if (response.head !== true) {
    const head = response.head ? Buffer.concat([response.head, chunk]) : chunk;
    const end = head.indexOf(HEADER_END);
    if (end === -1) {
      response.head = head;
      return null;
    }
    const text = head.toString("latin1", 0, end);
    response.head = true;
    response.status = Number(text.slice(9, 12));
    response.close = /\r\nconnection:[ \t]*close/i.test(text);
    if (/\r\ntransfer-encoding:[ \t]*chunked/i.test(text)) response.chunked = { state: "size", pending: null, left: 0 };
    else
      response.bodyLeft = NO_BODY_STATUS.has(response.status)
        ? 0
        : Number(/\r\ncontent-length:[ \t]*(\d+)/i.exec(text)?.[1] ?? 0);
    rest = head.subarray(end + HEADER_END.length);
  }
  let complete;
  if (response.chunked) complete = readChunks(response.chunked, rest);
  else {
    response.bodyLeft -= rest.length;
    complete = response.bodyLeft <= 0;
  }
  return complete ? { ok: response.status < 400, close: response.close } : null;
}

/** Chunked transfer coding: true once the last (empty) chunk and the trailer's end have arrived. */
function readChunks(state, chunk) {
  let data = state.pending ? Buffer.concat([state.pending, chunk]) : chunk;
  state.pending = null;
  for (;;) {
    if (state.state === "data") {
      const taken = Math.min(state.left, data.length);
      state.left -= taken;
      data = data.subarray(taken);
      if (state.left > 0) return false;
      state.state = "crlf";
    }
    const lineEnd = data.indexOf(CRLF);
    if (lineEnd === -1) {
      state.pending = data;
      return false;
    }
    const line = data.toString("latin1", 0, lineEnd);
    data = data.subarray(lineEnd + CRLF.length);
    if (state.state === "crlf") state.state = "size";
    else if (state.state === "trailer") {
      if (line === "") return true;
    } else {
      state.left = Number.parseInt(line, 16);
      state.state = state.left === 0 ? "trailer" : "data";
    }
  }
}
