/**
 * What the signed-in user does to their own API tokens (/api/v1/me/tokens): create one (after a
 * step-up; the secret is in this answer only), list them, revoke one. Creating and revoking are
 * security events; creating also sends a notice. Decision 024.
 */
import {
  API_TOKEN_DEFAULT_DAYS,
  type ApiToken,
  type ApiTokenScope,
  type CreateApiToken,
  type CreatedApiToken,
} from "@taskvault/contract/api-tokens";
import { and, desc, eq } from "drizzle-orm";
import { uuidv7 } from "uuidv7";
import { apiTokens } from "../db/schema.ts";
import { AppError } from "../errors.ts";
import { generateApiToken, hashApiToken } from "./api-tokens.ts";
import type { AuthContext, Caller, ClientInfo } from "./context.ts";
import { recordAuthEvent } from "./events.ts";
import { notifySecurityEvent } from "./security-notices.ts";
import { confirmStepUp } from "./step-up.ts";
import { findUser } from "./users.ts";

/** Enough for every script a person runs; a runaway client cannot fill the table. */
const MAX_TOKENS_PER_USER = 100;

function toApiToken(row: typeof apiTokens.$inferSelect): ApiToken {
  return {
    id: row.id,
    name: row.name,
    scopes: row.scopes as ApiTokenScope[],
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    lastUsedIp: row.lastUsedIp,
  };
}

export async function createApiToken(
  ctx: AuthContext,
  caller: Caller,
  input: CreateApiToken,
  client: ClientInfo,
): Promise<CreatedApiToken> {
  const user = await findUser(ctx, caller.userId);
  await confirmStepUp(ctx, user, input);
  const token = generateApiToken();
  const createdAt = new Date();
  const expiresAt = input.expiresAt
    ? new Date(input.expiresAt)
    : new Date(createdAt.getTime() + API_TOKEN_DEFAULT_DAYS * 24 * 3600 * 1000);
  const row = await ctx.db.transaction(async (tx) => {
    const existing = await tx.select({ id: apiTokens.id }).from(apiTokens).where(eq(apiTokens.userId, user.id));
    if (existing.length >= MAX_TOKENS_PER_USER) {
      throw new AppError("conflict", `An account holds at most ${MAX_TOKENS_PER_USER} API tokens; revoke one first`);
    }
    const [inserted] = await tx
      .insert(apiTokens)
      .values({
        userId: user.id,
        id: uuidv7(),
        name: input.name,
        scopes: [...input.scopes],
        tokenHash: hashApiToken(token),
        createdAt,
        expiresAt,
      })
      .returning();
    await recordAuthEvent(tx, user.id, "api_token_created", caller.sessionId, client);
    await notifySecurityEvent(tx, user.id, "api_token_created", client, {
      detail: `Its name is “${input.name}”; it may ${input.scopes.join(", ")} until ${expiresAt.toUTCString()}.`,
    });
    return inserted!;
  });
  return { ...toApiToken(row), token };
}

export async function listApiTokens(ctx: AuthContext, caller: Caller): Promise<ApiToken[]> {
  // This instance's uses still waiting to be written show up too.
  await ctx.apiTokens.flush();
  const rows = await ctx.db
    .select()
    .from(apiTokens)
    .where(eq(apiTokens.userId, caller.userId))
    .orderBy(desc(apiTokens.createdAt));
  return rows.map(toApiToken);
}

/** Deletes the token and puts its id in the revoked set every instance checks: refused at once. */
export async function revokeApiToken(ctx: AuthContext, caller: Caller, id: string, client: ClientInfo): Promise<void> {
  const revoked = await ctx.db.transaction(async (tx) => {
    const deleted = await tx
      .delete(apiTokens)
      .where(and(eq(apiTokens.userId, caller.userId), eq(apiTokens.id, id)))
      .returning({ id: apiTokens.id });
    if (deleted.length === 0) throw new AppError("not_found", "No such API token");
    await recordAuthEvent(tx, caller.userId, "api_token_revoked", caller.sessionId, client);
    return ctx.revocations.record(tx, caller.userId, [id]);
  });
  ctx.revocations.publish(revoked);
}
