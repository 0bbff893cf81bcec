import rateLimit, { normalizeIP } from "@fastify/rate-limit";
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestHookHandler, onSendHookHandler } from "fastify";
import fp from "fastify-plugin";
import { accountKeyOfMfaToken, signInAccountKey } from "../auth/sign-in.ts";
import type { Config } from "../config.ts";
import { AppError } from "../errors.ts";
import { appendRouteHook } from "./route-hooks.ts";
import { sharedThrottleStore } from "./throttle-store.ts";

declare module "fastify" {
  interface FastifyContextConfig {
    /** The auth throttle guarding the route (see plugins/rate-limit.ts). */
    throttle?: Throttle;
    /**
     * The route asks for a step-up (auth/step-up.ts): its failed proofs add back-off per account,
     * so a stolen session cannot go on guessing the password or a code.
     */
    stepUp?: true;
  }
}

export type Throttle = "signIn" | "signUp" | "refresh" | "challenge" | "forgotPassword" | "resetPassword";

type ThrottleConfig = Pick<
  Config,
  | "AUTH_RATE_LIMIT"
  | "AUTH_SIGNIN_IP_LIMIT"
  | "AUTH_SIGNUP_IP_LIMIT"
  | "AUTH_REFRESH_IP_LIMIT"
  | "AUTH_SIGNIN_ACCOUNT_MAX_DELAY"
  | "AUTH_SIGNIN_IP_MAX_DELAY"
  | "AUTH_FORGOT_IP_LIMIT"
  | "AUTH_FORGOT_ADDRESS_LIMIT"
  | "REDIS_KEY_PREFIX"
>;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Failed sign-ins an account absorbs; from then on each attempt first waits out the back-off. */
export const ACCOUNT_FREE_FAILURES = 10;
/** Failed sign-ins one client IP absorbs (across accounts) before it has to wait. */
export const IP_FREE_FAILURES = 20;
/** The first wait; each further failure doubles it, up to the configured maximum. */
const FIRST_DELAY_MS = 1_000;
/** Failures are forgotten after this long without a new one. */
const ACCOUNT_FORGET_AFTER_MS = 15 * MINUTE;
const IP_FORGET_AFTER_MS = HOUR;
/** In-process stores keep at most this many keys per limiter (least recently used go first). */
const LOCAL_CACHE_SIZE = 50_000;

/** Retry-After is whole seconds, at least 1. */
export function tooManyRequests(waitMs: number, detail: string): AppError {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  return new AppError("rate_limited", `${detail}; retry in ${seconds} s`, {
    headers: { "retry-after": String(seconds) },
  });
}

/**
 * The client's address as a limiter key. `request.ip` is the socket address unless TRUST_PROXY
 * names the proxy it came through, so a forged X-Forwarded-For never picks a fresh bucket; IPv6
 * is grouped by /64 so one host cannot rotate through its own prefix.
 */
const clientKey = (request: FastifyRequest) => normalizeIP(request.ip, 64);

/**
 * The account a sign-in attempt is for: the email of a password step (hashed: no plain address
 * in Redis; validation has normalized it), or the account an `mfaToken` carries, so wrong second
 * factors slow the account down like wrong passwords. A passkey names no account up front: only
 * the address counts.
 */
function accountKey(request: FastifyRequest): string | null {
  const body = request.body as { email?: string; mfaToken?: string } | undefined;
  if (body?.email !== undefined) return signInAccountKey(body.email);
  if (body?.mfaToken !== undefined) return accountKeyOfMfaToken(body.mfaToken);
  return null;
}

interface FailureBackoff {
  /** How long the request must still wait, 0 when it may go ahead. Does not count anything. */
  waitMs(request: FastifyRequest): Promise<number>;
  recordFailure(request: FastifyRequest): Promise<void>;
}

/**
 * Growing back-off on failures, kept in @fastify/rate-limit's store (in process, or Redis when
 * configured, shared by every instance). Once a key has `free` failures, the next attempt must wait
 * 1 s after the last failure, and each further failure doubles that (2 s, 4 s …) up to `maxDelayMs`;
 * `forgetAfterMs` without a failure clears the slate. Only failures count and waiting attempts do not, so however long an attacker
 * keeps guessing, the real owner never waits more than `maxDelayMs`.
 *
 * The store is driven through its documented knobs: recording uses `max: 0` with
 * `continueExceeding`, so every failure restarts the window and the remaining TTL tells how long
 * ago the last failure was; peeking (`increment: false`) uses an unreachable max, so `remaining`
 * tells how many failures there were.
 */
function createFailureBackoff(
  app: FastifyInstance,
  options: {
    name: string;
    /** null: the request names no key of this kind, nothing is counted or checked. */
    key: (request: FastifyRequest) => string | null;
    free: number;
    maxDelayMs: number;
    forgetAfterMs: number;
  },
): FailureBackoff {
  const peeking = new WeakSet<FastifyRequest>();
  const keyed = new WeakMap<FastifyRequest, string>();
  const limiter = app.createRateLimit({
    keyGenerator: (request) => `${options.name}:${keyed.get(request)}`,
    max: (request) => (peeking.has(request) ? Number.MAX_SAFE_INTEGER : 0),
    timeWindow: options.forgetAfterMs,
    skipOnError: false,
    // Not in the published typings of createRateLimit, but honoured: the options are merged into the route's store.
    ...{ continueExceeding: true, cache: LOCAL_CACHE_SIZE },
  });
  return {
    async waitMs(request) {
      const key = options.key(request);
      if (key === null) return 0;
      keyed.set(request, key);
      peeking.add(request);
      let status: Awaited<ReturnType<typeof limiter>>;
      try {
        status = await limiter(request, { increment: false });
      } finally {
        peeking.delete(request);
      }
      if (status.isAllowed) return 0;
      const failures = Number.MAX_SAFE_INTEGER - status.remaining;
      if (failures < options.free || status.ttl <= 0) return 0;
      const delay = Math.min(options.maxDelayMs, FIRST_DELAY_MS * 2 ** (failures - options.free));
      const sinceLastFailure = options.forgetAfterMs - status.ttl;
      return Math.max(0, delay - sinceLastFailure);
    },
    async recordFailure(request) {
      const key = options.key(request);
      if (key === null) return;
      keyed.set(request, key);
      await limiter(request);
    },
  };
}

/**
 * Auth throttles, attached to the routes that declare `config: { throttle }`:
 * - every sign-in, sign-up, refresh, reset-link request and reset counts against its client IP
 *   (fixed windows, checked in onRequest, before the body is even parsed);
 * - reset-link requests also count against the address asked for;
 * - failed sign-ins add growing back-off per account and per client IP (see createFailureBackoff);
 * - failed step-ups (routes with `config: { stepUp: true }`) add the same back-off per account.
 * Counters live in Redis when REDIS_URL is set, so all instances share them. If Redis is
 * unreachable (or hangs: each command has a timeout, plugins/redis.ts) the counters fall back to
 * this instance's memory and count double (throttle-store.ts): stricter, never off.
 * Refused requests are 429 problem+json `rate_limited` with Retry-After, through the error handler.
 */
export const rateLimitPlugin = fp(async (app: FastifyInstance, options: { config: ThrottleConfig }) => {
  const { config } = options;
  if (config.AUTH_RATE_LIMIT === "off") return;

  const nameSpace = `${config.REDIS_KEY_PREFIX}rate-limit:`;
  await app.register(rateLimit, {
    global: false,
    // Shared by every instance in Redis; in this instance's memory, stricter, while Redis is away.
    ...(app.redis ? { store: sharedThrottleStore(app.redis, nameSpace, LOCAL_CACHE_SIZE, () => {}) } : {}),
    nameSpace,
    skipOnError: false,
    cache: LOCAL_CACHE_SIZE,
    errorResponseBuilder: (_request, context) => tooManyRequests(context.ttl, "Too many requests from this address"),
  });

  const perIp = (name: Throttle, max: number, timeWindow: number) =>
    app.rateLimit({
      max,
      timeWindow,
      keyGenerator: (request) => `${name}:${clientKey(request)}`,
    }) as onRequestHookHandler;
  const attempts: Record<Throttle, onRequestHookHandler> = {
    signIn: perIp("signIn", config.AUTH_SIGNIN_IP_LIMIT, MINUTE),
    signUp: perIp("signUp", config.AUTH_SIGNUP_IP_LIMIT, HOUR),
    refresh: perIp("refresh", config.AUTH_REFRESH_IP_LIMIT, MINUTE),
    // Passkey challenges: anonymous writes, so bounded like refreshes (the sign-in page asks for
    // one on every visit, for passkey autofill).
    challenge: perIp("challenge", config.AUTH_REFRESH_IP_LIMIT, MINUTE),
    forgotPassword: perIp("forgotPassword", config.AUTH_FORGOT_IP_LIMIT, HOUR),
    resetPassword: perIp("resetPassword", config.AUTH_SIGNIN_IP_LIMIT, MINUTE),
  };
  // Reset links per address, counted after validation (the address normalized) and the same for
  // addresses without an account, so a 429 tells nothing about who has one. (A request runs one
  // app.rateLimit handler at most, hence the store's own limiter here.)
  const resetLinksPerAddress = app.createRateLimit({
    max: config.AUTH_FORGOT_ADDRESS_LIMIT,
    timeWindow: HOUR,
    keyGenerator: (request) => `forgotPasswordAddress:${accountKey(request)}`,
    skipOnError: true,
  });
  const limitResetLinksPerAddress = async (request: FastifyRequest) => {
    const status = await resetLinksPerAddress(request);
    if (!status.isAllowed && status.isExceeded)
      throw tooManyRequests(status.ttl, "Too many reset links asked for this address");
  };

  const failures = [
    createFailureBackoff(app, {
      name: "signInAccount",
      key: accountKey,
      free: ACCOUNT_FREE_FAILURES,
      maxDelayMs: config.AUTH_SIGNIN_ACCOUNT_MAX_DELAY * 1000,
      forgetAfterMs: ACCOUNT_FORGET_AFTER_MS,
    }),
    createFailureBackoff(app, {
      name: "signInIp",
      key: clientKey,
      free: IP_FREE_FAILURES,
      maxDelayMs: config.AUTH_SIGNIN_IP_MAX_DELAY * 1000,
      forgetAfterMs: IP_FORGET_AFTER_MS,
    }),
  ];

  // Runs after validation, so the email is there and normalized; unknown emails count like known
  // ones, or a 429 would tell which addresses have accounts.
  const checkBackoff = async (request: FastifyRequest) => {
    const waits = await Promise.all(failures.map((backoff) => backoff.waitMs(request)));
    const wait = Math.max(...waits);
    if (wait > 0) throw tooManyRequests(wait, "Too many failed sign-ins");
  };
  // Counted before the 401 leaves, so a client's next attempt already sees it.
  const countFailure: onSendHookHandler = async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    if (reply.statusCode === 401) await Promise.all(failures.map((backoff) => backoff.recordFailure(request)));
    return payload;
  };

  // Step-ups: the signed-in account's failed proofs (a wrong password, code or passkey, 401) grow
  // the same back-off as failed sign-ins, under a key of their own (the account id; a step-up
  // names no email). An expired access token is 401 before there is a caller, and counts nothing.
  const stepUpFailures = createFailureBackoff(app, {
    name: "stepUpAccount",
    key: (request) => request.caller?.userId ?? null,
    free: ACCOUNT_FREE_FAILURES,
    maxDelayMs: config.AUTH_SIGNIN_ACCOUNT_MAX_DELAY * 1000,
    forgetAfterMs: ACCOUNT_FORGET_AFTER_MS,
  });
  const checkStepUpBackoff = async (request: FastifyRequest) => {
    const wait = await stepUpFailures.waitMs(request);
    if (wait > 0) throw tooManyRequests(wait, "Too many failed confirmations");
  };
  const countStepUpFailure: onSendHookHandler = async (request, reply, payload) => {
    if (reply.statusCode === 401) await stepUpFailures.recordFailure(request);
    return payload;
  };

  app.addHook("onRoute", (route) => {
    if (route.config?.stepUp) {
      appendRouteHook(route, "preHandler", checkStepUpBackoff);
      appendRouteHook(route, "onSend", countStepUpFailure);
    }
    const throttle = route.config?.throttle;
    if (!throttle) return;
    appendRouteHook(route, "onRequest", attempts[throttle]);
    if (throttle === "forgotPassword") appendRouteHook(route, "preHandler", limitResetLinksPerAddress);
    if (throttle === "signIn") {
      appendRouteHook(route, "preHandler", checkBackoff);
      appendRouteHook(route, "onSend", countFailure);
    }
  });
});
