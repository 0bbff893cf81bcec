/**
 * Signing in, every way in: password, passkey, the second step after a password, and (issue 17)
 * single sign-on. `completeSignIn` is the ONE place that decides whether a sign-in is complete:
 * every way in proves who the person is and hands the proof here; it opens a session only when the
 * account's second factor was shown, and otherwise answers with an `mfaToken` for the second step.
 * A new way in must call it, never `startSession` itself. Refresh keeps the same rule in its
 * rotation statement (auth/sessions.ts, with `hasSecondFactorSql`): a session opened without a
 * second factor stops refreshing once the account has one. Decision 023.
 *
 * The second step (`mfaToken`) is modelled on the refresh tokens: `tvm_` + base64url(user id ‖
 * account key ‖ 256 random bits), stored as a SHA-256 hash, valid 5 minutes, for the client that
 * did the password step only, dead after 5 attempts, single use. The account key is the one the
 * sign-in back-off counts failures under (decision 011), so wrong codes slow down the account just
 * like wrong passwords.
 */
import { createHash, randomBytes } from "node:crypto";
import type { AuthenticationResponseJSON } from "@simplewebauthn/server";
import type { Session, SignIn } from "@taskvault/contract/auth";
import type { MfaRequired, PasskeySignIn, SignInMfa } from "@taskvault/contract/mfa";
import { and, eq, gt, isNull, lt, sql } from "drizzle-orm";
import type { Executor } from "../db/client.ts";
import { mfaChallenges, users } from "../db/schema.ts";
import { AppError } from "../errors.ts";
import type { AuthContext, ClientInfo } from "./context.ts";
import { recordAuthEvent } from "./events.ts";
import { verifyPasskeyAssertion } from "./passkeys.ts";
import {
  checkPasskeyAssertion,
  checkRecoveryCode,
  checkTotpCode,
  readMfaStatus,
  secondFactorMethods,
} from "./second-factors.ts";
import { startSession } from "./sessions.ts";

const MFA_TOKEN_PREFIX = "tvm_";
const MFA_TOKEN_TTL_MS = 5 * 60 * 1000;
const MFA_MAX_ATTEMPTS = 5;
const UUID_BYTES = 16;
const ACCOUNT_KEY_BYTES = 32;
const SECRET_BYTES = 32;
const MAX_USER_AGENT = 512;

type User = typeof users.$inferSelect;

/** How a person proved who they are. */
export interface SignInProof {
  /** A second factor was checked as well: TOTP, a recovery code, or a user-verified passkey. */
  secondFactor: boolean;
  /** The way in when it is not the account's own credentials: the single sign-on's name. */
  via?: string | null;
}

/** The sign-in back-off's account key: SHA-256 of the normalized email (no plain address in Redis). */
export function signInAccountKey(email: string): string {
  return createHash("sha256").update(email).digest("base64url");
}

/** The account key an `mfaToken` carries, for the back-off; null for anything that is not one. */
export function accountKeyOfMfaToken(token: string): string | null {
  return parseMfaToken(token)?.accountKey ?? null;
}

function parseMfaToken(token: string): { userId: string; accountKey: string } | null {
  if (!token.startsWith(MFA_TOKEN_PREFIX)) return null;
  const raw = Buffer.from(token.slice(MFA_TOKEN_PREFIX.length), "base64url");
  if (raw.length !== UUID_BYTES + ACCOUNT_KEY_BYTES + SECRET_BYTES) return null;
  const hex = raw.subarray(0, UUID_BYTES).toString("hex");
  return {
    userId: `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`,
    accountKey: raw.subarray(UUID_BYTES, UUID_BYTES + ACCOUNT_KEY_BYTES).toString("base64url"),
  };
}

const hashMfaToken = (token: string) => createHash("sha256").update(token).digest("base64url");
const userAgentOf = (client: ClientInfo) => client.userAgent?.slice(0, MAX_USER_AGENT) ?? null;

/**
 * THE decision: a session for `user` if the proof covers every factor the account has, else the
 * second step. Runs in the caller's transaction when given one.
 */
export async function completeSignIn(
  ctx: AuthContext,
  db: Executor,
  user: User,
  proof: SignInProof,
  client: ClientInfo,
): Promise<Session | MfaRequired> {
  if (!proof.secondFactor) {
    const methods = secondFactorMethods(await readMfaStatus(db, user.id));
    if (methods.length > 0) {
      return { mfaRequired: true, mfaToken: await issueMfaToken(db, user, client, proof.via ?? null), methods };
    }
  }
  return startSession(ctx, db, user, client, "signed_in", proof.secondFactor, proof.via ?? null);
}

async function issueMfaToken(db: Executor, user: User, client: ClientInfo, via: string | null): Promise<string> {
  const id = Buffer.from(user.id.replaceAll("-", ""), "hex");
  const accountKey = Buffer.from(signInAccountKey(user.email), "base64url");
  const token = MFA_TOKEN_PREFIX + Buffer.concat([id, accountKey, randomBytes(SECRET_BYTES)]).toString("base64url");
  const now = Date.now();
  // The account's stale second steps go here rather than in a timer (its own rows, by primary key).
  await db
    .delete(mfaChallenges)
    .where(and(eq(mfaChallenges.userId, user.id), lt(mfaChallenges.expiresAt, new Date(now))));
  await db.insert(mfaChallenges).values({
    userId: user.id,
    tokenHash: hashMfaToken(token),
    ip: client.ip,
    userAgent: userAgentOf(client),
    expiresAt: new Date(now + MFA_TOKEN_TTL_MS),
    via,
  });
  return token;
}

const invalidMfaToken = () =>
  new AppError("invalid_mfa_token", "This sign-in step has expired or was used up; sign in again");

/** `POST /auth/signin`: the password, then the decision. */
export async function signInWithPassword(
  ctx: AuthContext,
  input: SignIn,
  client: ClientInfo,
): Promise<Session | MfaRequired> {
  const [user] = await ctx.db.select().from(users).where(eq(users.email, input.email));
  const matches = await ctx.passwords.verify(user?.passwordHash ?? null, input.password);
  if (!user || !matches) {
    // Only an existing account has a trail to add to; unknown emails leave none.
    if (user) await recordAuthEvent(ctx.db, user.id, "sign_in_failed", null, client);
    throw new AppError("invalid_credentials", "Email or password is incorrect");
  }
  return completeSignIn(ctx, ctx.db, user, { secondFactor: false }, client);
}

/** A proof with a second factor always completes the sign-in. */
function sessionOf(result: Session | MfaRequired): Session {
  if ("mfaRequired" in result) throw new Error("A checked second factor must complete the sign-in");
  return result;
}

/** `POST /auth/passkey`: a user-verified passkey is both factors at once. */
export async function signInWithPasskey(ctx: AuthContext, input: PasskeySignIn, client: ClientInfo): Promise<Session> {
  const { userId } = await verifyPasskeyAssertion(
    ctx.db,
    ctx.relyingParty,
    input.challengeId,
    input.response as unknown as AuthenticationResponseJSON,
    null,
  );
  const [user] = await ctx.db.select().from(users).where(eq(users.id, userId));
  if (!user) throw new AppError("invalid_credentials", "The passkey could not be verified");
  return sessionOf(await completeSignIn(ctx, ctx.db, user, { secondFactor: true }, client));
}

/**
 * `POST /auth/signin/mfa`: the second step. Each attempt is claimed before it is checked (one
 * statement: unexpired, unfinished, same client, fewer than 5 attempts so far), so parallel
 * guesses cannot exceed the limit; the winning attempt finishes the step, so it opens one session.
 */
export async function signInWithSecondFactor(ctx: AuthContext, input: SignInMfa, client: ClientInfo): Promise<Session> {
  const parsed = parseMfaToken(input.mfaToken);
  if (!parsed) throw invalidMfaToken();
  const { userId } = parsed;
  const tokenHash = hashMfaToken(input.mfaToken);
  const challenge = and(eq(mfaChallenges.userId, userId), eq(mfaChallenges.tokenHash, tokenHash));
  const claimed = await ctx.db
    .update(mfaChallenges)
    .set({ attempts: sql`${mfaChallenges.attempts} + 1` })
    .where(
      and(
        challenge,
        isNull(mfaChallenges.completedAt),
        gt(mfaChallenges.expiresAt, new Date()),
        lt(mfaChallenges.attempts, MFA_MAX_ATTEMPTS),
        sql`${mfaChallenges.ip} is not distinct from ${client.ip}`,
        sql`${mfaChallenges.userAgent} is not distinct from ${userAgentOf(client)}`,
      ),
    )
    .returning({ attempts: mfaChallenges.attempts });
  if (claimed.length === 0) throw invalidMfaToken();

  if (!(await checkSecondFactor(ctx, userId, input))) {
    await recordAuthEvent(ctx.db, userId, "second_factor_failed", null, client);
    throw new AppError("invalid_code", "The code is not right or was already used");
  }
  return ctx.db.transaction(async (tx) => {
    const finished = await tx
      .update(mfaChallenges)
      .set({ completedAt: new Date() })
      .where(and(challenge, isNull(mfaChallenges.completedAt)))
      .returning({ userId: mfaChallenges.userId, via: mfaChallenges.via });
    if (finished.length === 0) throw invalidMfaToken();
    const [user] = await tx.select().from(users).where(eq(users.id, userId));
    if (!user) throw invalidMfaToken();
    if ("recoveryCode" in input) await recordAuthEvent(tx, userId, "recovery_code_used", null, client);
    return sessionOf(await completeSignIn(ctx, tx, user, { secondFactor: true, via: finished[0]!.via }, client));
  });
}

function checkSecondFactor(ctx: AuthContext, userId: string, input: SignInMfa): Promise<boolean> {
  if ("code" in input) return checkTotpCode(ctx, userId, input.code);
  if ("recoveryCode" in input) return checkRecoveryCode(ctx, userId, input.recoveryCode);
  return checkPasskeyAssertion(ctx, userId, input.challengeId, input.response);
}
