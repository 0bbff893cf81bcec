import type { Session, SessionInfo } from "@taskvault/contract/auth";
import { and, eq, gt, inArray, isNull, ne, type SQL, sql } from "drizzle-orm";
import { uuidv7 } from "uuidv7";
import type { Executor } from "../db/client.ts";
import { rowsOf } from "../db/rows.ts";
import { refreshTokens, sessions, users } from "../db/schema.ts";
import { AppError } from "../errors.ts";
import { isUuid } from "../ids.ts";
import type { AuthContext, Caller, ClientInfo } from "./context.ts";
import { authEventInsert, recordAuthEvent } from "./events.ts";
import { hashRefreshToken, newRefreshToken, parseRefreshToken, successorOf } from "./refresh-tokens.ts";
import type { RevokedSession } from "./revocation.ts";
import { hasSecondFactorSql } from "./second-factors.ts";
import { notifySecurityEvent } from "./security-notices.ts";
import { type Account, toUser } from "./users.ts";

const MAX_USER_AGENT = 512;

const invalidRefresh = () =>
  new AppError("invalid_refresh_token", "The refresh token is invalid, expired or revoked; sign in again");

async function sessionResponse(
  ctx: AuthContext,
  user: Account,
  sessionId: string,
  refreshToken: string,
  refreshExpiresAt: Date,
): Promise<Session> {
  const access = await ctx.accessTokens.sign(user.id, sessionId);
  return {
    user: toUser(user),
    accessToken: access.token,
    tokenType: "Bearer",
    expiresIn: access.expiresIn,
    refreshToken,
    refreshExpiresIn: Math.max(0, Math.floor((refreshExpiresAt.getTime() - Date.now()) / 1000)),
  };
}

/** A session about to be opened: what its statement writes and what the answer carries. */
export interface NewSession {
  userId: string;
  sessionId: string;
  refreshToken: string;
  refreshExpiresAt: Date;
  at: string;
  expiresAt: string;
}

export function newSession(ctx: AuthContext, userId: string): NewSession {
  const now = Date.now();
  const expiresAt = now + ctx.config.AUTH_SESSION_MAX_AGE * 1000;
  return {
    userId,
    sessionId: uuidv7(),
    refreshToken: newRefreshToken(userId),
    refreshExpiresAt: new Date(Math.min(now + ctx.config.AUTH_REFRESH_TTL * 1000, expiresAt)),
    // Raw SQL parameters go as ISO strings: the postgres-js driver takes no Date objects there.
    at: new Date(now).toISOString(),
    expiresAt: new Date(expiresAt).toISOString(),
  };
}

/**
 * The CTEs (to follow a `with`) that open `session`: the session, its first refresh token and the
 * trail's entry, all or nothing in the statement they are part of. `from`, when given, names an
 * earlier CTE of that statement and `via` may read its columns: the session is then opened only
 * if that CTE has a row (the second step of a sign-in opens its session in the statement that
 * finishes the step, auth/sign-in.ts).
 */
export function sessionOpeningSql(
  session: NewSession,
  client: ClientInfo,
  event: "signed_up" | "signed_in",
  secondFactor: boolean,
  via: SQL,
  from?: SQL,
): SQL {
  const { userId, sessionId, at } = session;
  const source = from ? sql`from ${from}` : sql``;
  return sql`session as (
      insert into sessions (user_id, id, created_at, last_used_at, expires_at, user_agent, ip, second_factor, via)
      select ${userId}, ${sessionId}, ${at}::timestamptz, ${at}::timestamptz, ${session.expiresAt}::timestamptz,
        ${client.userAgent?.slice(0, MAX_USER_AGENT) ?? null}, ${client.ip}, ${secondFactor}, ${via} ${source}
    ), refresh as (
      insert into refresh_tokens (user_id, token_hash, session_id, created_at, expires_at)
      select ${userId}, ${hashRefreshToken(session.refreshToken)}, ${sessionId}, ${at}::timestamptz,
        ${session.refreshExpiresAt.toISOString()}::timestamptz ${source}
    ), trail as (
      ${authEventInsert(userId, event, sessionId, client, at, source)}
    )`;
}

/** The answer for a session opened by `sessionOpeningSql`: an access token for it, and its refresh token. */
export const openedSession = (ctx: AuthContext, user: Account, session: NewSession) =>
  sessionResponse(ctx, user, session.sessionId, session.refreshToken, session.refreshExpiresAt);

/**
 * Opens a session. Only for a sign-up and for `completeSignIn` (auth/sign-in.ts), which decides
 * whether a sign-in is complete; `secondFactor` records that the session showed one. One
 * statement (`sessionOpeningSql`): all or nothing without a transaction of its own, in one round
 * trip (every sign-in and sign-up comes through here).
 */
export async function startSession(
  ctx: AuthContext,
  tx: Executor,
  user: Account,
  client: ClientInfo,
  event: "signed_up" | "signed_in",
  secondFactor: boolean,
  via: string | null = null,
): Promise<Session> {
  const session = newSession(ctx, user.id);
  await tx.execute(sql`with ${sessionOpeningSql(session, client, event, secondFactor, sql`${via}`)} select 1`);
  return openedSession(ctx, user, session);
}

interface RotatedRow {
  session_id: string;
  refresh_expires_at: Date | string;
}

/**
 * Rotates a refresh token. The winning rotation is one statement: it spends the token only if it
 * is unspent and its session live, inserts the successor and touches the session, so concurrent
 * requests cannot both win. A loser that arrives within the reuse grace gets the same (derived)
 * successor; a spent token presented after the grace is treated as stolen and ends the session.
 * A session opened without a second factor is not refreshed once the account has one: the rule of
 * auth/sign-in.ts, so an old session cannot outlive the factor's arrival (decision 023).
 */
export async function refreshSession(ctx: AuthContext, refreshToken: string, client: ClientInfo): Promise<Session> {
  const parsed = parseRefreshToken(refreshToken);
  if (!parsed) throw invalidRefresh();
  const { userId } = parsed;
  const tokenHash = hashRefreshToken(refreshToken);
  const successor = successorOf(refreshToken, ctx.refreshDerivationKey);
  const successorHash = hashRefreshToken(successor);
  const now = new Date();
  // Raw SQL parameters go as ISO strings: the postgres-js driver takes no Date objects there.
  const at = now.toISOString();
  const idleEnd = new Date(now.getTime() + ctx.config.AUTH_REFRESH_TTL * 1000).toISOString();

  const rotated = rowsOf<RotatedRow>(
    await ctx.db.execute(sql`
      with spent as (
        update refresh_tokens rt set spent_at = ${at}::timestamptz
        from sessions s
        where rt.user_id = ${userId} and rt.token_hash = ${tokenHash}
          and rt.spent_at is null and rt.expires_at > ${at}::timestamptz
          and s.user_id = rt.user_id and s.id = rt.session_id
          and s.revoked_at is null and s.expires_at > ${at}::timestamptz
          and (s.second_factor or not ${hasSecondFactorSql(sql`s.user_id`)})
        returning rt.session_id, least(${idleEnd}::timestamptz, s.expires_at) as refresh_expires_at
      ), successor as (
        insert into refresh_tokens (user_id, token_hash, session_id, created_at, expires_at)
        select ${userId}, ${successorHash}, session_id, ${at}::timestamptz, refresh_expires_at from spent
        on conflict do nothing
        returning session_id, expires_at as refresh_expires_at
      )
      update sessions set last_used_at = ${at}::timestamptz
      from successor
      where sessions.user_id = ${userId} and sessions.id = successor.session_id
      returning successor.session_id, successor.refresh_expires_at`),
  );
  const won = rotated[0];
  if (won) {
    // Only the winner is recorded: concurrent tabs within the grace are one refresh to the user.
    await recordAuthEvent(ctx.db, userId, "refreshed", won.session_id, client);
    return respondWithUser(ctx, userId, won.session_id, successor, new Date(won.refresh_expires_at));
  }

  const [presented] = await ctx.db
    .select({
      sessionId: refreshTokens.sessionId,
      spentAt: refreshTokens.spentAt,
      expiresAt: refreshTokens.expiresAt,
      revokedAt: sessions.revokedAt,
      sessionExpiresAt: sessions.expiresAt,
    })
    .from(refreshTokens)
    .innerJoin(sessions, and(eq(sessions.userId, refreshTokens.userId), eq(sessions.id, refreshTokens.sessionId)))
    .where(and(eq(refreshTokens.userId, userId), eq(refreshTokens.tokenHash, tokenHash)));
  if (!presented?.spentAt || presented.revokedAt || presented.sessionExpiresAt <= now) throw invalidRefresh();

  const graceMs = ctx.config.AUTH_REFRESH_REUSE_GRACE * 1000;
  if (now.getTime() - presented.spentAt.getTime() <= graceMs) {
    const [next] = await ctx.db
      .select({ expiresAt: refreshTokens.expiresAt })
      .from(refreshTokens)
      .where(and(eq(refreshTokens.userId, userId), eq(refreshTokens.tokenHash, successorHash)));
    if (!next) throw invalidRefresh();
    return respondWithUser(ctx, userId, presented.sessionId, successor, next.expiresAt);
  }

  const revoked = await ctx.db.transaction(async (tx) => {
    const ended = await revokeSessionsIn(ctx, tx, userId, { ids: [presented.sessionId] }, "refresh_token_reuse");
    await recordAuthEvent(tx, userId, "refresh_token_reused", presented.sessionId, client);
    // Only the presentation that ended the session tells the owner; later ones find it ended.
    if (ended.length > 0) await notifySecurityEvent(tx, userId, "refresh_token_reused", client);
    return ended;
  });
  ctx.revocations.publish(revoked);
  throw new AppError(
    "invalid_refresh_token",
    "This refresh token was already used; the session has been ended for safety. Sign in again",
  );
}

async function respondWithUser(
  ctx: AuthContext,
  userId: string,
  sessionId: string,
  refreshToken: string,
  refreshExpiresAt: Date,
) {
  const [user] = await ctx.db.select().from(users).where(eq(users.id, userId));
  if (!user) throw invalidRefresh();
  return sessionResponse(ctx, user, sessionId, refreshToken, refreshExpiresAt);
}

/** Which of a user's live sessions to end. */
export type SessionSelection = { ids: string[] } | { allExcept: string | null };

/**
 * Ends sessions inside the caller's transaction: marks them revoked, drops their refresh tokens
 * and records them in the revoked list. Publish the result once the transaction commits.
 */
export async function revokeSessionsIn(
  ctx: AuthContext,
  tx: Executor,
  userId: string,
  selection: SessionSelection,
  reason: string,
): Promise<RevokedSession[]> {
  if ("ids" in selection && selection.ids.length === 0) return [];
  const ended = await tx
    .update(sessions)
    .set({ revokedAt: new Date(), revokeReason: reason })
    .where(
      and(
        eq(sessions.userId, userId),
        isNull(sessions.revokedAt),
        "ids" in selection
          ? inArray(sessions.id, selection.ids)
          : selection.allExcept
            ? ne(sessions.id, selection.allExcept)
            : undefined,
      ),
    )
    .returning({ id: sessions.id });
  const ids = ended.map((row) => row.id);
  if (ids.length === 0) return [];
  await tx.delete(refreshTokens).where(and(eq(refreshTokens.userId, userId), inArray(refreshTokens.sessionId, ids)));
  return ctx.revocations.record(tx, userId, ids);
}

/** Ends sessions in a transaction of its own; their access tokens are refused on every instance at once. */
export async function revokeSessions(
  ctx: AuthContext,
  userId: string,
  selection: SessionSelection,
  reason: string,
): Promise<RevokedSession[]> {
  const revoked = await ctx.db.transaction((tx) => revokeSessionsIn(ctx, tx, userId, selection, reason));
  ctx.revocations.publish(revoked);
  return revoked;
}

export async function listSessions(ctx: AuthContext, caller: Caller): Promise<SessionInfo[]> {
  const now = new Date();
  const rows = await ctx.db
    .select()
    .from(sessions)
    .where(
      and(
        eq(sessions.userId, caller.userId),
        isNull(sessions.revokedAt),
        gt(sessions.expiresAt, now),
        gt(sessions.lastUsedAt, new Date(now.getTime() - ctx.config.AUTH_REFRESH_TTL * 1000)),
      ),
    )
    .orderBy(sql`${sessions.lastUsedAt} desc`);
  return rows.map((row) => ({
    id: row.id,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt.toISOString(),
    userAgent: row.userAgent,
    ip: row.ip,
    current: row.id === caller.sessionId,
    via: row.via,
  }));
}

export async function revokeOwnSession(
  ctx: AuthContext,
  caller: Caller,
  sessionId: string,
  client: ClientInfo,
): Promise<void> {
  if (!isUuid(sessionId)) throw new AppError("not_found", "No such session");
  const ended = await revokeSessions(ctx, caller.userId, { ids: [sessionId] }, "revoked_by_user");
  if (ended.length === 0) throw new AppError("not_found", "No such session");
  await recordAuthEvent(ctx.db, caller.userId, "session_revoked", sessionId, client);
}

/** Ends the caller's own session. */
export async function signOut(ctx: AuthContext, caller: Caller, client: ClientInfo): Promise<void> {
  await revokeSessions(ctx, caller.userId, { ids: [caller.sessionId] }, "signed_out");
  await recordAuthEvent(ctx.db, caller.userId, "signed_out", caller.sessionId, client);
}

/** Ends every session of the caller's user, the caller's too. */
export async function signOutEverywhere(ctx: AuthContext, caller: Caller, client: ClientInfo): Promise<void> {
  await revokeSessions(ctx, caller.userId, { allExcept: null }, "signed_out_everywhere");
  await recordAuthEvent(ctx.db, caller.userId, "signed_out_everywhere", caller.sessionId, client);
}
