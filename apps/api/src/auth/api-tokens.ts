/**
 * API tokens for scripts: `Authorization: Bearer tvk_…` (RFC 6750 §2.1), scoped (§3.1
 * `insufficient_scope`), stored only as a hash. Decision 024.
 *
 * Format: `tvk_` + 43 base62 characters (exactly 256 random bits) + 6 base62 characters of the
 * CRC-32 of those 43. The prefix lets secret scanners find leaked tokens; the checksum lets them,
 * and `parseApiToken`, tell a token from a typo without asking the database. The CRC is no
 * secret and proves nothing about validity: only the stored hash does.
 *
 * Hashing: SHA-256. The secret is 256 uniformly random bits, so nothing is gained from a slow or
 * salted hash (there is no dictionary to slow down); a fast one keeps the cold path to one lookup.
 *
 * Verifying costs no database round trip on the hot path: a verified token is cached in memory
 * by its hash for at most a minute. A revocation (DELETE, account deletion) goes into the same
 * revoked set and broadcast as a session's (auth/revocation.ts), keyed by the token's id, and that
 * set is checked on every request, so a revoked token is refused at once on every instance.
 */
import { createHash, randomBytes } from "node:crypto";
import { crc32 } from "node:zlib";
import type { ApiTokenScope } from "@taskvault/contract/api-tokens";
import { eq, sql } from "drizzle-orm";
import { LRUCache } from "lru-cache";
import type { Database, Executor } from "../db/client.ts";
import { apiTokens } from "../db/schema.ts";
import { invalidToken } from "./access-tokens.ts";
import type { RevocationList } from "./revocation.ts";

export const API_TOKEN_PREFIX = "tvk_";
const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
/** ⌈256 / log2(62)⌉: 43 base62 digits hold 256 bits. */
const SECRET_LENGTH = 43;
const CHECKSUM_LENGTH = 6;
const TOKEN_PATTERN = new RegExp(
  `^${API_TOKEN_PREFIX}([0-9A-Za-z]{${SECRET_LENGTH}})([0-9A-Za-z]{${CHECKSUM_LENGTH}})$`,
);

/** How long an instance trusts a verified token without looking at its row again. */
const CACHE_TTL_MS = 60_000;
/** lastUsedAt and the address are written at most this often per token. */
export const LAST_USED_INTERVAL_MS = 60_000;
/** Uses waiting to be written are gathered this long into one UPDATE. */
const FLUSH_DELAY_MS = 100;

function toBase62(value: bigint, length: number): string {
  let text = "";
  for (let rest = value; rest > 0n; rest /= 62n) text = BASE62[Number(rest % 62n)] + text;
  return text.padStart(length, "0");
}

const checksumOf = (secret: string) => toBase62(BigInt(crc32(secret)), CHECKSUM_LENGTH);

/** A new token: 256 random bits, base62, then the checksum. */
export function generateApiToken(): string {
  const secret = toBase62(BigInt(`0x${randomBytes(32).toString("hex")}`), SECRET_LENGTH);
  return `${API_TOKEN_PREFIX}${secret}${checksumOf(secret)}`;
}

/** True when `token` has the shape of an API token, whatever its checksum. */
export const looksLikeApiToken = (token: string) => token.startsWith(API_TOKEN_PREFIX);

/** False for anything that is not a well-formed token with a matching checksum. */
export function isWellFormedApiToken(token: string): boolean {
  const match = TOKEN_PATTERN.exec(token);
  return match !== null && checksumOf(match[1]!) === match[2];
}

export const hashApiToken = (token: string) => createHash("sha256").update(token).digest("base64url");

/** What a verified token lets its bearer do. */
export interface VerifiedApiToken {
  id: string;
  userId: string;
  scopes: readonly ApiTokenScope[];
  /** Epoch ms. */
  expiresAt: number;
}

interface CachedToken extends VerifiedApiToken {
  /** When this token's last use was (or is being) written, epoch ms. */
  recordedAt: number;
}

export interface ApiTokenVerifier {
  /** The token's grant, or AppError("invalid_token") (unknown, mistyped, expired, revoked). */
  verify(token: string, ip: string | null): Promise<VerifiedApiToken>;
  /** Writes the uses waiting to be written (before listing tokens, and at shutdown). */
  flush(): Promise<void>;
  close(): Promise<void>;
}

export function createApiTokenVerifier(options: {
  db: Database;
  revocations: RevocationList;
  /** Never longer than a revocation stays in the revoked set (the access-token lifetime). */
  cacheTtlMs?: number;
  onFlushError?: (error: unknown) => void;
}): ApiTokenVerifier {
  const { db, revocations } = options;
  const cache = new LRUCache<string, CachedToken>({
    max: 50_000,
    ttl: options.cacheTtlMs ?? CACHE_TTL_MS,
    // Concurrent first requests with one token share one lookup.
    fetchMethod: async (tokenHash) => {
      const [row] = await db
        .select({
          id: apiTokens.id,
          userId: apiTokens.userId,
          scopes: apiTokens.scopes,
          expiresAt: apiTokens.expiresAt,
          lastUsedAt: apiTokens.lastUsedAt,
        })
        .from(apiTokens)
        .where(eq(apiTokens.tokenHash, tokenHash));
      if (!row) return undefined;
      return {
        id: row.id,
        userId: row.userId,
        scopes: row.scopes as ApiTokenScope[],
        expiresAt: row.expiresAt.getTime(),
        recordedAt: row.lastUsedAt?.getTime() ?? 0,
      };
    },
  });
  // Revoked tokens leave the cache as the revocation arrives; the revoked set covers the rest.
  const stopListening = revocations.onRevoked((ids) => {
    if (cache.size === 0) return;
    const revoked = new Set(ids);
    for (const [hash, entry] of cache.entries()) if (revoked.has(entry.id)) cache.delete(hash);
  });

  const pending = new Map<string, { userId: string; id: string; at: Date; ip: string | null }>();
  let timer: NodeJS.Timeout | null = null;
  let flushing: Promise<void> = Promise.resolve();

  async function writeUses() {
    const uses = [...pending.values()];
    pending.clear();
    if (uses.length === 0) return;
    const rows = sql.join(
      uses.map(
        (use) => sql`(${use.userId}::uuid, ${use.id}::uuid, ${use.at.toISOString()}::timestamptz, ${use.ip}::text)`,
      ),
      sql`, `,
    );
    await db.execute(sql`
      update api_tokens t set last_used_at = u.at, last_used_ip = u.ip
      from (values ${rows}) as u(user_id, id, at, ip)
      where t.user_id = u.user_id and t.id = u.id and (t.last_used_at is null or t.last_used_at < u.at)`);
  }

  function flush(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = null;
    flushing = flushing.then(writeUses).catch((error: unknown) => options.onFlushError?.(error));
    return flushing;
  }

  function recordUse(entry: CachedToken, ip: string | null) {
    const now = Date.now();
    if (now - entry.recordedAt < LAST_USED_INTERVAL_MS) return;
    entry.recordedAt = now;
    pending.set(entry.id, { userId: entry.userId, id: entry.id, at: new Date(now), ip });
    if (!timer) {
      timer = setTimeout(flush, FLUSH_DELAY_MS);
      timer.unref();
    }
  }

  return {
    async verify(token, ip) {
      if (!isWellFormedApiToken(token)) throw invalidToken("Malformed API token");
      const hash = hashApiToken(token);
      const entry = await cache.fetch(hash);
      if (!entry) throw invalidToken("Unknown or revoked API token");
      if (revocations.isRevoked(entry.id)) {
        cache.delete(hash);
        throw invalidToken("The API token was revoked");
      }
      if (entry.expiresAt <= Date.now()) throw invalidToken("The API token has expired");
      recordUse(entry, ip);
      return entry;
    },
    flush,
    async close() {
      stopListening();
      await flush();
    },
  };
}

/** The token ids of a user, to revoke them with the account (account deletion). */
export async function apiTokenIdsOf(db: Executor, userId: string): Promise<string[]> {
  const rows = await db.select({ id: apiTokens.id }).from(apiTokens).where(eq(apiTokens.userId, userId));
  return rows.map((row) => row.id);
}
