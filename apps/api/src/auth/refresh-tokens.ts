import { createHash, createHmac, randomBytes } from "node:crypto";

const PREFIX = "tvr_";
const UUID_BYTES = 16;
const SECRET_BYTES = 32;
const TOKEN_LENGTH = PREFIX.length + Math.ceil(((UUID_BYTES + SECRET_BYTES) * 4) / 3);

/**
 * Refresh tokens are opaque to clients: `tvr_` + base64url(user id ‖ 256 secret bits). Carrying
 * the owner id lets every lookup lead with user_id, like every other query (distribution by user).
 * The prefix makes leaked tokens easy for secret scanners to spot.
 */
export function newRefreshToken(userId: string): string {
  return encode(userId, randomBytes(SECRET_BYTES));
}

/**
 * The token that replaces `token` at rotation, derived with a server-side key. Deriving (not
 * drawing) it means every request that presents the same token within the reuse grace gets the
 * same successor, so concurrent tabs leave exactly one live chain. Only the hash is stored.
 */
export function successorOf(token: string, derivationKey: Buffer): string {
  const parsed = parseRefreshToken(token);
  if (!parsed) throw new Error("Not a refresh token");
  return encode(parsed.userId, createHmac("sha256", derivationKey).update(token).digest());
}

export function hashRefreshToken(token: string): string {
  return createHash("sha256").update(token).digest("base64url");
}

export function parseRefreshToken(token: string): { userId: string } | null {
  if (token.length !== TOKEN_LENGTH || !token.startsWith(PREFIX)) return null;
  const raw = Buffer.from(token.slice(PREFIX.length), "base64url");
  if (raw.length !== UUID_BYTES + SECRET_BYTES) return null;
  const hex = raw.subarray(0, UUID_BYTES).toString("hex");
  return {
    userId: `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`,
  };
}

function encode(userId: string, secret: Buffer): string {
  const id = Buffer.from(userId.replaceAll("-", ""), "hex");
  return PREFIX + Buffer.concat([id, secret]).toString("base64url");
}
