// Issue 16: sign-in with an authenticator app (password step, then POST /auth/signin/mfa with a
// fresh code) against password-only sign-in, in the same run.
//
// A sign-in with TOTP is two requests, the second built from the first's answer (its mfaToken), so
// these runs use a closed loop of their own rather than autocannon: each connection signs in, one
// whole sign-in after the other, and a sign-in's latency runs from its first request to the
// answer that carries the session. Both flows go through the same loop and HTTP client.
//
// A code is accepted once per time step and factor, and only for steps later than the last one
// accepted (decision 023), so one account signs in with TOTP at most once per 30 s step (twice in
// the step its pool first sees it: now and now + 1). The pool below hands each sign-in an account
// and a step it may still spend, never one account to two sign-ins at once (a later step spent
// first would refuse the earlier one), and before each run enrols accounts through the API until
// the run cannot run short. Every sign-in that does not end in a session counts as failed.
import { createHmac, randomBytes } from "node:crypto";
import { Agent, request } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { call, PASSWORD } from "./fixtures.mjs";
import { summary } from "./load.mjs";
import { cpuSeconds } from "./processes.mjs";

const STEP_MS = 30_000;
const stepAt = (ms) => Math.floor(ms / STEP_MS);

/** RFC 6238 (SHA-1, 6 digits, 30 s), written here rather than taken from the API's library. */
export function totpCode(base32Secret, step) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const char of base32Secret.replace(/=+$/, "").toUpperCase()) {
    bits += alphabet.indexOf(char).toString(2).padStart(5, "0");
  }
  const key = Buffer.from(
    bits
      .slice(0, bits.length - (bits.length % 8))
      .match(/.{8}/g)
      .map((byte) => Number.parseInt(byte, 2)),
  );
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac("sha1", key).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, "0");
}

// Node's own HTTP client with kept-alive sockets, not fetch: fetch (undici's) cost this process
// 1.3–1.9 ms of CPU per password sign-in and 2.5–2.9 ms per TOTP sign-in (two requests) on the
// cores the API runs on, so the client's weight alone moved the ratio this bench measures.
const agent = new Agent({ keepAlive: true });

function post(base, path, body) {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const headers = { "content-type": "application/json", "content-length": Buffer.byteLength(payload) };
    const req = request(`${base}${path}`, { method: "POST", agent, headers }, (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk) => {
        text += chunk;
      });
      response.on("error", reject);
      response.on("end", () => {
        if (response.statusCode !== 200) reject(new Error(`${path} → ${response.statusCode}: ${text.slice(0, 200)}`));
        else {
          try {
            resolve(JSON.parse(text));
          } catch (error) {
            reject(error);
          }
        }
      });
    });
    req.on("error", reject);
    req.end(payload);
  });
}

/** Accounts with a confirmed authenticator app, and which time step each may spend next. */
export function totpAccounts(base) {
  const accounts = [];
  let next = 0;

  /** Signs up an account and enrols an authenticator app, as Settings → Security does. */
  async function enrolOne() {
    const email = `totp-${randomBytes(5).toString("hex")}@bench.example`;
    const session = await call(base, "POST", "/api/v1/auth/signup", { body: { email, password: PASSWORD } });
    const token = session.accessToken;
    const { secret } = await call(base, "POST", "/api/v1/me/mfa/totp", { token, body: { password: PASSWORD } });
    // The confirming code spends its step: sign-ins may use the next one on.
    const step = stepAt(Date.now());
    await call(base, "POST", "/api/v1/me/mfa/totp/confirm", { token, body: { code: totpCode(secret, step) } });
    accounts.push({ email, secret, nextStep: step + 1, busy: false });
  }

  /** Sign-ins the pool can serve from now without waiting for a new step. */
  function usesLeft() {
    const now = stepAt(Date.now());
    return accounts.reduce((sum, account) => sum + Math.max(0, now + 2 - Math.max(account.nextStep, now)), 0);
  }

  return {
    get size() {
      return accounts.length;
    },
    /** Enrols accounts (4 at a time, to keep the API's hashing busy) until `uses` sign-ins are covered. */
    async ensure(uses) {
      let missing = uses - usesLeft();
      const workers = Array.from({ length: 4 }, async () => {
        while (missing > 0) {
          missing--;
          await enrolOne();
        }
      });
      await Promise.all(workers);
    },
    /** An idle account and a step it may spend (now or the next), or null when none is left. */
    take() {
      const now = stepAt(Date.now());
      for (let i = 0; i < accounts.length; i++) {
        const account = accounts[(next + i) % accounts.length];
        if (account.busy || account.nextStep > now + 1) continue;
        next = (next + i + 1) % accounts.length;
        const step = Math.max(account.nextStep, now);
        account.nextStep = step + 1;
        account.busy = true;
        return { account, code: totpCode(account.secret, step), release: () => (account.busy = false) };
      }
      return null;
    },
  };
}

/** Password-only sign-in of the next of `users`; resolves when the answer carries a session. */
export function passwordSignIn(base, users) {
  let next = 0;
  return async () => {
    const user = users[next++ % users.length];
    const session = await post(base, "/api/v1/auth/signin", { email: user.email, password: PASSWORD });
    if (!session.accessToken) throw new Error("password sign-in answered without a session");
  };
}

/** Password step, then the code: resolves when the second answer carries a session. */
export function totpSignIn(base, pool, counters = { starved: 0 }) {
  return async () => {
    let taken = pool.take();
    while (!taken) {
      // Should not happen (ensure() sizes the pool); when it does, the wait shows in the figures.
      counters.starved++;
      await sleep(STEP_MS - (Date.now() % STEP_MS) + 5);
      taken = pool.take();
    }
    try {
      const first = await post(base, "/api/v1/auth/signin", { email: taken.account.email, password: PASSWORD });
      if (!first.mfaRequired) throw new Error("the password step of a TOTP account answered without mfaRequired");
      const session = await post(base, "/api/v1/auth/signin/mfa", { mfaToken: first.mfaToken, code: taken.code });
      if (!session.accessToken) throw new Error("the second step answered without a session");
    } finally {
      taken.release();
    }
  };
}

/**
 * Closed loop: `connections` sign-ins in flight, each followed at once by the next, for
 * `duration` seconds or `amount` sign-ins. Figures as bench/load.mjs reports them, per sign-in.
 */
export async function loadSignIns({ signIn, connections, duration, amount, pid, database }) {
  const cpuBefore = pid ? cpuSeconds(pid) : null;
  // The event loop's share apart from the hashing thread's: which side a difference is on.
  const mainBefore = pid ? cpuSeconds(pid, pid) : null;
  const databaseBefore = database ? await database.cpu.sample(database.names) : null;
  // The load generator's own CPU (this process: fetch, JSON, the codes) shares the cores with the
  // API too, and a TOTP sign-in is two requests to make and read.
  const clientBefore = process.cpuUsage();
  const latencies = [];
  const errors = new Map();
  let failed = 0;
  let started = 0;
  const began = performance.now();
  const deadline = duration ? began + duration * 1000 : Number.POSITIVE_INFINITY;
  const more = () => (amount ? started < amount : performance.now() < deadline);
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (more()) {
        started++;
        const at = performance.now();
        try {
          await signIn();
          latencies.push(performance.now() - at);
        } catch (error) {
          failed++;
          const message = String(error.message).split("\n")[0];
          errors.set(message, (errors.get(message) ?? 0) + 1);
        }
      }
    }),
  );
  const seconds = (performance.now() - began) / 1000;
  const mainAfter = pid ? cpuSeconds(pid, pid) : null;
  const client = process.cpuUsage(clientBefore);
  return {
    clientCpuUs: latencies.length > 0 ? (client.user + client.system) / latencies.length : null,
    mainCpuUs:
      mainBefore !== null && mainAfter !== null && latencies.length > 0
        ? ((mainAfter - mainBefore) * 1e6) / latencies.length
        : null,
    ...summary(latencies, seconds, failed, {
      pid,
      cpuBefore,
      databaseSeconds: database ? await database.cpu.since(database.names, databaseBefore) : null,
    }),
    errors: [...errors].map(([message, count]) => `${count} × ${message}`),
  };
}
