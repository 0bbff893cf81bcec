import type { Session } from "@taskvault/contract/auth";
import type { FastifyInstance, InjectOptions } from "fastify";
import { vi } from "vitest";
import { totpCode } from "../../src/auth/totp.ts";
import { as, PASSWORD } from "./app.ts";

const STEP_MS = 30_000;

/**
 * Freezes the clock (Date only; timers run) in the middle of a TOTP time step, so a code computed
 * by the test and checked by the API fall in the same step whatever the real time is.
 */
export function freezeClockMidStep(): void {
  const now = Date.now();
  vi.useFakeTimers({ toFake: ["Date"], now: Math.floor(now / STEP_MS) * STEP_MS + STEP_MS / 2 });
}

/** Moves the frozen clock on by whole time steps (or milliseconds). */
export const advanceSteps = (steps: number) => vi.setSystemTime(Date.now() + steps * STEP_MS);

/** The code of the step `offset` steps from now. */
export const codeAt = (secret: string, offset = 0) => totpCode(secret, Date.now() + offset * STEP_MS);

/** Sets up an authenticator app for the session's account; returns its secret and recovery codes. */
export async function enableTotp(
  app: FastifyInstance,
  session: Pick<Session, "accessToken">,
  extra: Record<string, unknown> = {},
) {
  const api = as(app, session);
  const started = await api({ method: "POST", url: "/api/v1/me/mfa/totp", payload: { password: PASSWORD } });
  if (started.statusCode !== 200) throw new Error(`enrolment failed: ${started.statusCode} ${started.body}`);
  const { secret } = started.json() as { secret: string };
  const confirmed = await api({
    method: "POST",
    url: "/api/v1/me/mfa/totp/confirm",
    payload: { code: codeAt(secret), ...extra },
  });
  if (confirmed.statusCode !== 200) throw new Error(`confirmation failed: ${confirmed.statusCode} ${confirmed.body}`);
  // The confirming code's step is spent: later codes must come from a later step.
  advanceSteps(1);
  return { secret, recoveryCodes: (confirmed.json() as { recoveryCodes: string[] }).recoveryCodes };
}

export function signInWithPassword(
  app: FastifyInstance,
  email: string,
  password = PASSWORD,
  options: Partial<InjectOptions> = {},
) {
  return app.inject({ method: "POST", url: "/api/v1/auth/signin", payload: { email, password }, ...options });
}

export function secondStep(
  app: FastifyInstance,
  payload: Record<string, unknown>,
  options: Partial<InjectOptions> = {},
) {
  return app.inject({ method: "POST", url: "/api/v1/auth/signin/mfa", payload, ...options });
}
