/**
 * Which Taskvault account a provider account signs in to, and linking (decision 025).
 * - A provider account is issuer + subject (OpenID Connect Core §5.7), kept in `oidc_links`; the
 *   email alone never decides anything, so an address someone else registered cannot pull a
 *   provider account into their account (the pre-hijack of issue 17), and a provider that lets
 *   people change their email cannot move them between accounts.
 * - First sign-in of a provider account whose email no account uses: a new account (no password;
 *   verified when the provider says `email_verified`), unless AUTH_SIGNUP=closed.
 * - Its email already used by an unlinked account: nobody is signed in; the answer carries a link
 *   ticket (single use, 10 minutes, bound to the same browser as the flow). The person signs in to
 *   that account the ordinary way (password and its second factor), from a session opened after the
 *   ticket, and spends the ticket with POST /me/oidc/link. An account whose email was never
 *   verified cannot be linked until it is.
 * - Every sign-in goes through completeSignIn (auth/sign-in.ts): the account's second factor is
 *   asked unless the provider reports that the person showed one (`amr`, RFC 8176).
 */
import { createHash, randomBytes } from "node:crypto";
import type { Session } from "@taskvault/contract/auth";
import type { MfaRequired } from "@taskvault/contract/mfa";
import type { LinkOidc, OidcCallback, OidcLinkStatus, OidcStart, OidcStarted } from "@taskvault/contract/oidc";
import { and, count, eq, lt } from "drizzle-orm";
import { uuidv7 } from "uuidv7";
import { oidcLinks, oidcLinkTickets, passkeys, sessions, users } from "../db/schema.ts";
import { AppError } from "../errors.ts";
import { enqueueMessage } from "../mail/outbox.ts";
import { isUniqueViolation } from "./accounts.ts";
import type { AuthContext, Caller, ClientInfo } from "./context.ts";
import { recordAuthEvent } from "./events.ts";
import { hashBinding, OIDC_FLOW_TTL_MS, type OidcClient, type OidcIdentity } from "./oidc.ts";
import { notifySecurityEvent } from "./security-notices.ts";
import { startSession } from "./sessions.ts";
import { completeSignIn } from "./sign-in.ts";
import { findUser } from "./users.ts";

/**
 * RFC 8176 values that mean the provider checked more than one factor, or a factor that is
 * itself possession-based: multi-factor/-channel, one-time code, hardware/software key, smart
 * card, proof of possession, SMS. `pwd`, `kba`, biometrics on their own do not count.
 */
export const SECOND_FACTOR_AMR = new Set(["mfa", "mca", "otp", "hwk", "swk", "sc", "pop", "sms"]);
export const reportsSecondFactor = (amr: string[]) => amr.some((value) => SECOND_FACTOR_AMR.has(value));

const LINK_TICKET_PREFIX = "tvl_";
const hashTicket = (ticket: string) => createHash("sha256").update(ticket).digest("base64url");

export function oidcOf(ctx: AuthContext): OidcClient {
  if (!ctx.oidc) throw new AppError("not_found", "Single sign-on is not configured on this server");
  return ctx.oidc;
}

/** `POST /auth/oidc/start`. */
export function startOidcSignIn(ctx: AuthContext, input: OidcStart): Promise<OidcStarted> {
  return oidcOf(ctx).start(ctx.db, input.binding);
}

/** `POST /auth/oidc/callback`: the provider's answer, checked, then the account it signs in to. */
export async function finishOidcSignIn(
  ctx: AuthContext,
  input: OidcCallback,
  client: ClientInfo,
  signup: "open" | "closed",
): Promise<Session | MfaRequired> {
  const oidc = oidcOf(ctx);
  const identity = await oidc.finish(ctx.db, input.callbackUrl, input.binding);
  const proof = { secondFactor: reportsSecondFactor(identity.amr), via: oidc.name };

  const [linked] = await ctx.db
    .select({ user: users })
    .from(oidcLinks)
    .innerJoin(users, eq(users.id, oidcLinks.userId))
    .where(and(eq(oidcLinks.issuer, identity.issuer), eq(oidcLinks.subject, identity.subject)));
  if (linked) {
    await ctx.db
      .update(oidcLinks)
      .set({ lastUsedAt: new Date(), email: identity.email })
      .where(and(eq(oidcLinks.userId, linked.user.id), eq(oidcLinks.issuer, identity.issuer)));
    return completeSignIn(ctx, ctx.db, linked.user, proof, client);
  }

  const { email } = identity;
  if (!email) {
    throw new AppError("oidc_failed", "The provider shared no email address; allow the email scope and try again");
  }
  const [existing] = await ctx.db.select().from(users).where(eq(users.email, email));
  if (existing) throw await linkRequired(ctx, existing.id, { ...identity, email }, input.binding, client);
  if (signup === "closed") throw new AppError("signup_closed", "This server does not accept new accounts");
  return createOidcAccount(ctx, { ...identity, email }, client, proof);
}

async function createOidcAccount(
  ctx: AuthContext,
  identity: OidcIdentity & { email: string },
  client: ClientInfo,
  proof: { secondFactor: boolean; via: string },
): Promise<Session> {
  const now = new Date();
  try {
    return await ctx.db.transaction(async (tx) => {
      const [user] = await tx
        .insert(users)
        .values({
          id: uuidv7(),
          email: identity.email,
          name: identity.name,
          passwordHash: null,
          emailVerifiedAt: identity.emailVerified ? now : null,
          createdAt: now,
          updatedAt: now,
        })
        .returning();
      await tx.insert(oidcLinks).values({
        userId: user!.id,
        issuer: identity.issuer,
        subject: identity.subject,
        email: identity.email,
        createdAt: now,
        lastUsedAt: now,
      });
      if (!identity.emailVerified) await enqueueMessage(tx, { kind: "verify_email", userId: user!.id });
      // A new account has no second factor yet: nothing for completeSignIn to ask.
      return startSession(ctx, tx, user!, client, "signed_up", proof.secondFactor, proof.via);
    });
  } catch (error) {
    // Two first sign-ins at once (or a sign-up of the same address): the unique indexes decide.
    if (isUniqueViolation(error)) throw new AppError("conflict", "This account was just created; sign in again");
    throw error;
  }
}

/** The refusal that carries a link ticket for the account that uses the provider's email. */
async function linkRequired(
  ctx: AuthContext,
  userId: string,
  identity: OidcIdentity & { email: string },
  binding: string | undefined,
  client: ClientInfo,
): Promise<AppError> {
  const ticket = LINK_TICKET_PREFIX + randomBytes(32).toString("base64url");
  const now = Date.now();
  await ctx.db.delete(oidcLinkTickets).where(lt(oidcLinkTickets.expiresAt, new Date(now)));
  await ctx.db.insert(oidcLinkTickets).values({
    userId,
    ticketHash: hashTicket(ticket),
    issuer: identity.issuer,
    subject: identity.subject,
    email: identity.email,
    bindingHash: hashBinding(binding),
    createdAt: new Date(now),
    expiresAt: new Date(now + OIDC_FLOW_TTL_MS),
  });
  // The owner's trail shows that someone came in through the provider with their address.
  await recordAuthEvent(ctx.db, userId, "sso_sign_in_failed", null, client);
  return new AppError(
    "oidc_link_required",
    `An account already uses ${identity.email}. Sign in to your account to link it, then confirm the link.`,
    { extensions: { email: identity.email, linkTicket: ticket, expiresIn: OIDC_FLOW_TTL_MS / 1000 } },
  );
}

const invalidTicket = () =>
  new AppError(
    "invalid_state",
    "This link request is unknown, was already used or has expired; sign in with single sign-on again",
  );

/**
 * `POST /me/oidc/link`: spends a link ticket of the caller's account. Needs a session opened after
 * the ticket (so by someone who just signed in to this account with its own credentials, second
 * factor included), from the browser the ticket was issued to, on an account whose email is
 * verified. In one transaction: a refused link leaves the ticket as it was.
 */
export async function linkOidc(
  ctx: AuthContext,
  caller: Caller,
  input: LinkOidc,
  client: ClientInfo,
): Promise<OidcLinkStatus> {
  const oidc = oidcOf(ctx);
  const user = await findUser(ctx, caller.userId);
  try {
    await ctx.db.transaction(async (tx) => {
      const [ticket] = await tx
        .delete(oidcLinkTickets)
        .where(
          and(eq(oidcLinkTickets.userId, caller.userId), eq(oidcLinkTickets.ticketHash, hashTicket(input.linkTicket))),
        )
        .returning();
      if (!ticket || ticket.expiresAt.getTime() <= Date.now()) throw invalidTicket();
      if (ticket.bindingHash !== hashBinding(input.binding)) throw invalidTicket();
      const [session] = await tx
        .select({ createdAt: sessions.createdAt, via: sessions.via })
        .from(sessions)
        .where(and(eq(sessions.userId, caller.userId), eq(sessions.id, caller.sessionId)));
      if (!session || session.via !== null || session.createdAt.getTime() < ticket.createdAt.getTime()) {
        throw new AppError("forbidden", "Sign in to your account again (with its password) to link it", {
          status: 403,
        });
      }
      if (!user.emailVerifiedAt) {
        throw new AppError(
          "email_unverified",
          "Verify your email address before linking single sign-on to this account",
        );
      }
      await tx.insert(oidcLinks).values({
        userId: caller.userId,
        issuer: ticket.issuer,
        subject: ticket.subject,
        email: ticket.email,
        createdAt: new Date(),
        lastUsedAt: null,
      });
      await recordAuthEvent(tx, caller.userId, "sso_linked", caller.sessionId, client);
      await notifySecurityEvent(tx, caller.userId, "sso_linked", client, { detail: `Provider: ${oidc.name}.` });
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError("conflict", "This provider account, or another one of this provider, is already linked");
    }
    throw error;
  }
  return getOidcLink(ctx, caller);
}

/** `GET /me/oidc`. */
export async function getOidcLink(ctx: AuthContext, caller: Caller): Promise<OidcLinkStatus> {
  // One provider per deployment: the account's link is the one it has.
  const [[link], [user]] = await Promise.all([
    ctx.db.select().from(oidcLinks).where(eq(oidcLinks.userId, caller.userId)),
    ctx.db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, caller.userId)),
  ]);
  return {
    enabled: ctx.oidc !== null,
    name: ctx.oidc?.name ?? "",
    hasPassword: Boolean(user?.passwordHash),
    link: link
      ? {
          email: link.email,
          createdAt: link.createdAt.toISOString(),
          lastUsedAt: link.lastUsedAt?.toISOString() ?? null,
        }
      : null,
  };
}

/**
 * `DELETE /me/oidc`: 409 `last_way_in` while the account has neither a password nor a passkey,
 * which would leave nobody able to sign in to it.
 */
export async function unlinkOidc(ctx: AuthContext, caller: Caller, client: ClientInfo): Promise<void> {
  const oidc = oidcOf(ctx);
  await ctx.db.transaction(async (tx) => {
    // The account row is locked, so a concurrent unlink and passkey removal cannot both pass the check.
    const [user] = await tx.select().from(users).where(eq(users.id, caller.userId)).for("update");
    if (!user) throw new AppError("invalid_token", "The account no longer exists");
    const [{ value: passkeyCount } = { value: 0 }] = await tx
      .select({ value: count() })
      .from(passkeys)
      .where(eq(passkeys.userId, caller.userId));
    const links = await tx.select().from(oidcLinks).where(eq(oidcLinks.userId, caller.userId));
    if (links.length === 0) throw new AppError("not_found", "No single sign-on is linked to this account");
    if (!user.passwordHash && passkeyCount === 0) {
      throw new AppError(
        "last_way_in",
        `${oidc.name} is the only way into this account: set a password (Forgot password?) or add a passkey first`,
      );
    }
    await tx.delete(oidcLinks).where(eq(oidcLinks.userId, caller.userId));
    await recordAuthEvent(tx, caller.userId, "sso_unlinked", caller.sessionId, client);
    await notifySecurityEvent(tx, caller.userId, "sso_unlinked", client, { detail: `Provider: ${oidc.name}.` });
  });
}
