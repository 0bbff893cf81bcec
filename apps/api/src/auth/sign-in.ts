/**
 * Signing in, every way in: password, passkey, the second step after a password, and (issue 17)
 * single sign-on. `completeSignIn` is the ONE place that decides whether a sign-in is complete:
 * every way in proves who the person is and hands the proof here; it opens a session only when the
 * account's second factor was shown, and otherwise answers with an `mfaToken` for the second step.
 * A new way in must call it, never `startSession` itself. The second step after a password is its
 * continuation, not a way in: its proof always holds the second factor, so it opens the session
 * in the statement that finishes the step (`signInWithSecondFactor`). Refresh keeps the same rule in its
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
import type { MfaMethod, MfaRequired, PasskeySignIn, SignInMfa } from "@taskvault/contract/mfa";
import { eq, type SQL, sql } from "drizzle-orm";
import type { Executor } from "../db/client.ts";
import { parseInstant } from "../db/instant.ts";
import { rowsOf } from "../db/rows.ts";
import { users } from "../db/schema.ts";
import { AppError } from "../errors.ts";
import type { AuthContext, ClientInfo } from "./context.ts";
import { authEventInsert, recordAuthEvent } from "./events.ts";
import { verifyPasskeyAssertion } from "./passkeys.ts";
import {
  activeTotpSecretSql,
  checkPasskeyAssertion,
  checkRecoveryCode,
  hasSecondFactorSql,
  type MfaStatusRow,
  matchTotpCode,
  mfaStatusSql,
  secondFactorMethods,
  toMfaStatus,
} from "./second-factors.ts";
import { newSession, openedSession, sessionOpeningSql, startSession } from "./sessions.ts";
import { totpStepSpend } from "./totp.ts";
import type { Account } from "./users.ts";

const MFA_TOKEN_PREFIX = "tvm_";
const MFA_TOKEN_TTL_MS = 5 * 60 * 1000;
const MFA_MAX_ATTEMPTS = 5;
const UUID_BYTES = 16;
const ACCOUNT_KEY_BYTES = 32;
const SECRET_BYTES = 32;
const MAX_USER_AGENT = 512;

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
 * second step. Runs in the caller's transaction when given one. Without a second factor in the
 * proof, one statement reads the account's factors and, when it has one, adds the second step.
 */
export async function completeSignIn(
  ctx: AuthContext,
  db: Executor,
  user: Account,
  proof: SignInProof,
  client: ClientInfo,
): Promise<Session | MfaRequired> {
  if (!proof.secondFactor) {
    const step = await secondStepIfNeeded(db, user, client, proof.via ?? null);
    if (step.methods.length > 0) return { mfaRequired: true, mfaToken: step.mfaToken, methods: step.methods };
  }
  return startSession(ctx, db, user, client, "signed_in", proof.secondFactor, proof.via ?? null);
}

/**
 * Reads which second factors the account has and, only if it has one (`hasSecondFactorSql`, read
 * in the same snapshot), adds a second step in the same statement: its token is made up front and
 * thrown away when the account needs none.
 */
async function secondStepIfNeeded(
  db: Executor,
  user: Account,
  client: ClientInfo,
  via: string | null,
): Promise<{ methods: MfaMethod[]; mfaToken: string }> {
  const id = Buffer.from(user.id.replaceAll("-", ""), "hex");
  const accountKey = Buffer.from(signInAccountKey(user.email), "base64url");
  const mfaToken = MFA_TOKEN_PREFIX + Buffer.concat([id, accountKey, randomBytes(SECRET_BYTES)]).toString("base64url");
  const now = Date.now();
  // The account's stale second steps go here rather than in a timer (its own rows, by primary
  // key), in the statement that may add the new one.
  const [status] = rowsOf<MfaStatusRow>(
    await db.execute(sql`
      with stale as (
        delete from mfa_challenges where user_id = ${user.id} and expires_at < ${new Date(now).toISOString()}::timestamptz
      ), challenge as (
        insert into mfa_challenges (user_id, token_hash, ip, user_agent, expires_at, via)
        select ${user.id}, ${hashMfaToken(mfaToken)}, ${client.ip}, ${userAgentOf(client)},
          ${new Date(now + MFA_TOKEN_TTL_MS).toISOString()}::timestamptz, ${via}
        where ${hasSecondFactorSql(sql`${user.id}`)}
      )
      ${mfaStatusSql(user.id)}`),
  );
  return { methods: secondFactorMethods(toMfaStatus(status!)), mfaToken };
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
 * `POST /auth/signin/mfa`: the second step, in two statements for a TOTP code (decision 023):
 *
 * 1. The attempt is claimed before it is checked (unexpired, unfinished, same client, fewer than 5
 *    attempts so far, in one update), so parallel guesses cannot exceed the limit; the same
 *    statement reads the account's active authenticator app.
 * 2. A right code finishes the step in one statement that spends the code's time step (the
 *    compare-and-set of auth/totp.ts), marks the step finished only if that spent it and it was
 *    not finished yet, opens the session only if it finished the step (`sessionOpeningSql` gated on
 *    it) and reads the account: a replayed code or a step finished by a concurrent attempt opens
 *    nothing, and only one attempt ever finishes a step. The proof of this step always holds the
 *    second factor, so `completeSignIn` would open the session without a question; the step opens
 *    it itself to save a round trip and a commit on every sign-in with a second factor.
 *
 * A recovery code or a passkey is spent by its own check; step 2 then only finishes the step (and
 * records a recovery code's use in the trail).
 */
export async function signInWithSecondFactor(ctx: AuthContext, input: SignInMfa, client: ClientInfo): Promise<Session> {
  const parsed = parseMfaToken(input.mfaToken);
  if (!parsed) throw invalidMfaToken();
  const { userId } = parsed;
  const tokenHash = hashMfaToken(input.mfaToken);
  const [claimed] = rowsOf<{ totp_secret: string | null }>(
    await ctx.db.execute(sql`
      update mfa_challenges set attempts = attempts + 1
      where user_id = ${userId} and token_hash = ${tokenHash}
        and completed_at is null and expires_at > ${new Date().toISOString()}::timestamptz
        and attempts < ${MFA_MAX_ATTEMPTS}
        and ip is not distinct from ${client.ip} and user_agent is not distinct from ${userAgentOf(client)}
      returning ${activeTotpSecretSql(sql`mfa_challenges.user_id`)} as totp_secret`),
  );
  if (!claimed) throw invalidMfaToken();

  const spend = await checkSecondFactor(ctx, userId, input, claimed.totp_secret);
  const session = newSession(ctx, userId);
  // Built before the session's entry, so that the trail lists it first (ids are UUIDv7).
  const recoveryCodeUsed =
    "recoveryCode" in input
      ? sql`used as (${authEventInsert(userId, "recovery_code_used", null, client, session.at, sql`from finished`)}),`
      : sql``;
  const [finished] =
    spend === null
      ? []
      : rowsOf<FinishedRow>(
          await ctx.db.execute(sql`
            with spent as (${spend}),
            finished as (
              update mfa_challenges set completed_at = ${session.at}::timestamptz
              where user_id = ${userId} and token_hash = ${tokenHash} and completed_at is null
                and exists (select 1 from spent)
              returning via
            ),
            ${recoveryCodeUsed}
            ${sessionOpeningSql(session, client, "signed_in", true, sql`finished.via`, sql`finished`)}
            select exists (select 1 from spent) as spent,
              u.id, u.email, u.name, u.created_at, u.email_verified_at
            from (select) as one
            left join (finished join users u on u.id = ${userId}) on true`),
        );
  if (!finished?.spent) {
    await recordAuthEvent(ctx.db, userId, "second_factor_failed", null, client);
    throw new AppError("invalid_code", "The code is not right or was already used");
  }
  if (finished.id === null) throw invalidMfaToken();
  const user: Account = {
    id: finished.id,
    email: finished.email!,
    name: finished.name!,
    createdAt: instantOf(finished.created_at!),
    emailVerifiedAt: finished.email_verified_at === null ? null : instantOf(finished.email_verified_at),
  };
  return openedSession(ctx, user, session);
}

/** Step 2's row: whether the factor was spent; the account only if the step was finished (and its session opened). */
interface FinishedRow {
  spent: boolean;
  id: string | null;
  email: string | null;
  name: string | null;
  created_at: Date | string | null;
  email_verified_at: Date | string | null;
}

/** Raw SQL's timestamps arrive as PostgreSQL's text from postgres-js and as Dates from PGlite. */
const instantOf = (value: Date | string) => (typeof value === "string" ? parseInstant(value) : value);

/**
 * Checks the second factor: null when it is wrong, else what spends it in step 2 — a TOTP code's
 * time step is spent there (compare-and-set); a recovery code or a passkey assertion is spent here.
 */
async function checkSecondFactor(
  ctx: AuthContext,
  userId: string,
  input: SignInMfa,
  totpSecret: string | null,
): Promise<SQL | null> {
  if ("code" in input) {
    const step = matchTotpCode(ctx, userId, totpSecret, input.code);
    return step === null ? null : totpStepSpend(userId, step, false);
  }
  const spent =
    "recoveryCode" in input
      ? await checkRecoveryCode(ctx, userId, input.recoveryCode)
      : await checkPasskeyAssertion(ctx, userId, input.challengeId, input.response);
  return spent ? sql`select 1` : null;
}
