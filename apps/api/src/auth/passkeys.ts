/**
 * Passkeys: WebAuthn Level 3 discoverable credentials, checked by @simplewebauthn/server.
 *
 * - Relying party: the RP ID is PUBLIC_URL's host and the only accepted origin is PUBLIC_URL's
 *   origin (§7.1 steps 9 and 13, §7.2 steps 13 and 15).
 * - User verification is asked for as "required" and enforced (the UV flag, §7.1 step 15,
 *   §7.2 step 17), so a passkey alone counts as two factors: something you have, unlocked by
 *   something you know or are.
 * - Challenges are single use (deleted as they are presented, before any check) and live 5 minutes.
 * - The signature counter (§6.1.1, §7.2 step 22): a counter that does not go up is refused, except
 *   0 followed by 0, which authenticators that do not count (synced passkeys) always send. The new
 *   value is stored with a compare-and-set, so two assertions racing with one counter value
 *   cannot both pass.
 * - Transports and backup state (BE/BS flags) are stored and shown ("synced" or "this device").
 */

import {
  type AuthenticationResponseJSON,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type RegistrationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from "@simplewebauthn/server";
import type { Passkey, WebAuthnOptions } from "@taskvault/contract/mfa";
import { and, asc, eq, lt, sql } from "drizzle-orm";
import { uuidv7 } from "uuidv7";
import type { Config } from "../config.ts";
import type { Executor } from "../db/client.ts";
import { passkeys, webauthnChallenges } from "../db/schema.ts";
import { AppError } from "../errors.ts";
import { isUuid } from "../ids.ts";

const CHALLENGE_TTL_MS = 5 * 60 * 1000;
const RP_NAME = "Taskvault";

type ChallengePurpose = "registration" | "authentication";

export interface RelyingParty {
  rpId: string;
  origin: string;
}

export function relyingParty(config: Pick<Config, "PUBLIC_URL">): RelyingParty {
  const url = new URL(config.PUBLIC_URL);
  return { rpId: url.hostname, origin: url.origin };
}

const passkeyRefused = () => new AppError("invalid_credentials", "The passkey could not be verified");

/** WebAuthn's user handle is the account id's 16 bytes (no personal data, §14.6.1). */
const userHandleOf = (userId: string) => new Uint8Array(Buffer.from(userId.replaceAll("-", ""), "hex"));

function userIdOfHandle(handle: string | null | undefined): string | null {
  if (!handle) return null;
  const hex = Buffer.from(handle, "base64url").toString("hex");
  if (hex.length !== 32) return null;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

async function storeChallenge(
  db: Executor,
  challenge: string,
  purpose: ChallengePurpose,
  userId: string | null,
): Promise<string> {
  const now = Date.now();
  // Expired challenges nobody presented go here, cheaply (indexed), instead of in a timer.
  await db.delete(webauthnChallenges).where(lt(webauthnChallenges.expiresAt, new Date(now)));
  const id = uuidv7();
  await db
    .insert(webauthnChallenges)
    .values({ id, challenge, purpose, userId, expiresAt: new Date(now + CHALLENGE_TTL_MS) });
  return id;
}

/** Takes a challenge out of the store: it can be presented once, whatever the outcome. */
async function consumeChallenge(
  db: Executor,
  where: { id: string } | { challenge: string },
  purpose: ChallengePurpose,
  userId: string | null,
): Promise<string> {
  if ("id" in where && !isUuid(where.id)) throw passkeyRefused();
  const [row] = await db
    .delete(webauthnChallenges)
    .where(
      and(
        "id" in where ? eq(webauthnChallenges.id, where.id) : eq(webauthnChallenges.challenge, where.challenge),
        eq(webauthnChallenges.purpose, purpose),
        userId ? eq(webauthnChallenges.userId, userId) : undefined,
      ),
    )
    .returning({ challenge: webauthnChallenges.challenge, expiresAt: webauthnChallenges.expiresAt });
  if (!row || row.expiresAt.getTime() <= Date.now()) throw passkeyRefused();
  return row.challenge;
}

/** The challenge a client says it signed, read from its clientDataJSON (checked again by the library). */
function challengeOf(clientDataJSON: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(clientDataJSON, "base64url").toString("utf8")) as { challenge?: unknown };
    if (typeof parsed.challenge === "string" && parsed.challenge.length > 0) return parsed.challenge;
  } catch {
    // Falls through to the refusal.
  }
  throw passkeyRefused();
}

export function toPasskey(row: typeof passkeys.$inferSelect): Passkey {
  return {
    id: row.id,
    name: row.name,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    synced: row.backedUp,
    transports: row.transports,
  };
}

/** Creation options for a new passkey of this account (§5.4), its challenge stored for 5 minutes. */
export async function createRegistrationOptions(
  db: Executor,
  rp: RelyingParty,
  user: { id: string; email: string; name: string },
) {
  const existing = await db
    .select({ credentialId: passkeys.credentialId, transports: passkeys.transports })
    .from(passkeys)
    .where(eq(passkeys.userId, user.id));
  const options = await generateRegistrationOptions({
    rpName: RP_NAME,
    rpID: rp.rpId,
    userName: user.email,
    userID: userHandleOf(user.id),
    userDisplayName: user.name || user.email,
    timeout: CHALLENGE_TTL_MS,
    attestationType: "none",
    excludeCredentials: existing.map((row) => ({ id: row.credentialId, transports: row.transports })),
    authenticatorSelection: { residentKey: "required", requireResidentKey: true, userVerification: "required" },
  });
  await storeChallenge(db, options.challenge, "registration", user.id);
  return options as unknown as WebAuthnOptions;
}

/** Verifies a registration response (§7.1) against this account's pending challenge and stores the passkey. */
export async function registerPasskey(
  db: Executor,
  rp: RelyingParty,
  userId: string,
  name: string,
  response: RegistrationResponseJSON,
): Promise<Passkey> {
  const challenge = await consumeChallenge(
    db,
    { challenge: challengeOf(response.response.clientDataJSON) },
    "registration",
    userId,
  );
  let verified: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
  try {
    verified = await verifyRegistrationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.rpId,
      requireUserPresence: true,
      requireUserVerification: true,
    });
  } catch {
    throw passkeyRefused();
  }
  if (!verified.verified) throw passkeyRefused();
  const info = verified.registrationInfo;
  const [row] = await db
    .insert(passkeys)
    .values({
      userId,
      id: uuidv7(),
      credentialId: info.credential.id,
      publicKey: Buffer.from(info.credential.publicKey).toString("base64url"),
      counter: info.credential.counter,
      transports: info.credential.transports ?? response.response.transports ?? [],
      backupEligible: info.credentialDeviceType === "multiDevice",
      backedUp: info.credentialBackedUp,
      name,
      createdAt: new Date(),
    })
    .onConflictDoNothing()
    .returning();
  if (!row) throw new AppError("conflict", "This passkey is already registered");
  return toPasskey(row);
}

/** Request options for signing in with any discoverable passkey (§5.5), and the challenge's id. */
export async function createAuthenticationOptions(db: Executor, rp: RelyingParty) {
  const options = await generateAuthenticationOptions({
    rpID: rp.rpId,
    userVerification: "required",
    timeout: CHALLENGE_TTL_MS,
  });
  const challengeId = await storeChallenge(db, options.challenge, "authentication", null);
  return { challengeId, options: options as unknown as WebAuthnOptions };
}

/**
 * Verifies an assertion (§7.2) made on a stored challenge; returns the account it proves.
 * `expectedUserId` (the second step after a password) refuses a passkey of any other account.
 */
export async function verifyPasskeyAssertion(
  db: Executor,
  rp: RelyingParty,
  challengeId: string,
  response: AuthenticationResponseJSON,
  expectedUserId: string | null,
): Promise<{ userId: string; passkeyId: string }> {
  const challenge = await consumeChallenge(db, { id: challengeId }, "authentication", null);
  const userId = userIdOfHandle(response.response.userHandle) ?? expectedUserId;
  if (!userId || (expectedUserId && userId !== expectedUserId)) throw passkeyRefused();
  const [stored] = await db
    .select()
    .from(passkeys)
    .where(and(eq(passkeys.userId, userId), eq(passkeys.credentialId, response.id)));
  if (!stored) throw passkeyRefused();

  let verified: Awaited<ReturnType<typeof verifyAuthenticationResponse>>;
  try {
    verified = await verifyAuthenticationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.rpId,
      credential: {
        id: stored.credentialId,
        publicKey: new Uint8Array(Buffer.from(stored.publicKey, "base64url")),
        counter: stored.counter,
        transports: stored.transports,
      },
      requireUserVerification: true,
    });
  } catch {
    throw passkeyRefused();
  }
  if (!verified.verified) throw passkeyRefused();
  const { newCounter, credentialBackedUp } = verified.authenticationInfo;
  // The library compared with the counter it was given; this compares with the stored one at
  // write time, so of two assertions carrying one counter value only the first gets through.
  const [updated] = await db
    .update(passkeys)
    .set({ counter: newCounter, backedUp: credentialBackedUp, lastUsedAt: sql`now()` })
    .where(
      and(
        eq(passkeys.userId, userId),
        eq(passkeys.id, stored.id),
        sql`(${passkeys.counter} < ${newCounter} or (${passkeys.counter} = 0 and ${newCounter} = 0))`,
      ),
    )
    .returning({ id: passkeys.id });
  if (!updated) throw passkeyRefused();
  return { userId, passkeyId: stored.id };
}

export async function listPasskeys(db: Executor, userId: string): Promise<Passkey[]> {
  const rows = await db
    .select()
    .from(passkeys)
    .where(eq(passkeys.userId, userId))
    .orderBy(asc(passkeys.createdAt), asc(passkeys.id));
  return rows.map(toPasskey);
}

export async function renamePasskey(db: Executor, userId: string, id: string, name: string): Promise<Passkey> {
  if (!isUuid(id)) throw new AppError("not_found", "No such passkey");
  const [row] = await db
    .update(passkeys)
    .set({ name })
    .where(and(eq(passkeys.userId, userId), eq(passkeys.id, id)))
    .returning();
  if (!row) throw new AppError("not_found", "No such passkey");
  return toPasskey(row);
}

export async function deletePasskey(db: Executor, userId: string, id: string): Promise<void> {
  if (!isUuid(id)) throw new AppError("not_found", "No such passkey");
  const deleted = await db
    .delete(passkeys)
    .where(and(eq(passkeys.userId, userId), eq(passkeys.id, id)))
    .returning({ id: passkeys.id });
  if (deleted.length === 0) throw new AppError("not_found", "No such passkey");
}
