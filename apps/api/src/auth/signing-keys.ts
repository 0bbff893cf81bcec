import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import { desc, gt, isNull, or, sql } from "drizzle-orm";
import { calculateJwkThumbprint, type JWK } from "jose";
import type { Database, Executor } from "../db/client.ts";
import { signingKeys } from "../db/schema.ts";
import { decrypt, encrypt } from "./secrets.ts";

export const SIGNING_ALGORITHM = "EdDSA";
const KEY_LOCK = 727_002;
/** How often each instance re-reads the key set, to pick up keys rotated elsewhere. */
const RELOAD_INTERVAL_MS = 60_000;
/** A key id the process has not seen triggers a reload at most this often (no DoS by random kids). */
const UNKNOWN_KID_RELOAD_MS = 5_000;

interface LoadedKey {
  kid: string;
  publicKey: KeyObject;
  publicJwk: JWK;
  privateKey: KeyObject | null;
}

export interface KeyStore {
  /** The newest key; every instance signs with it. */
  current(): { kid: string; privateKey: KeyObject };
  /** The public key for a kid, reloading once from the database when it is unknown. */
  publicKey(kid: string): Promise<KeyObject | undefined>;
  jwks(): { keys: JWK[] };
  reload(): Promise<void>;
  close(): void;
}

export interface KeyStoreOptions {
  db: Database;
  keyEncryptionKey: Buffer;
  /** Retired public keys stay published this long: the longest an access token can live, plus margin. */
  retainRetiredForMs: number;
}

async function generateKey(keyEncryptionKey: Buffer) {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const publicJwk = publicKey.export({ format: "jwk" }) as JWK;
  const kid = await calculateJwkThumbprint(publicJwk);
  const privateJwk = JSON.stringify(privateKey.export({ format: "jwk" }));
  return {
    kid,
    alg: SIGNING_ALGORITHM,
    publicJwk: { ...publicJwk, kid, alg: SIGNING_ALGORITHM, use: "sig" },
    privateJwkEncrypted: encrypt(keyEncryptionKey, privateJwk, kid),
    createdAt: new Date(),
  };
}

/** Adds a signing key and retires the others (they keep verifying until their tokens expire). */
export async function rotateSigningKey(db: Database, keyEncryptionKey: Buffer): Promise<string> {
  const key = await generateKey(keyEncryptionKey);
  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${KEY_LOCK})`);
    await tx.update(signingKeys).set({ retiredAt: key.createdAt }).where(isNull(signingKeys.retiredAt));
    await tx.insert(signingKeys).values(key);
  });
  return key.kid;
}

/** Creates the first signing key unless one exists; safe when several instances start at once. */
async function ensureSigningKey(db: Database, keyEncryptionKey: Buffer) {
  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${KEY_LOCK})`);
    const active = await tx.select({ kid: signingKeys.kid }).from(signingKeys).where(isNull(signingKeys.retiredAt));
    if (active.length === 0) await tx.insert(signingKeys).values(await generateKey(keyEncryptionKey));
  });
}

async function readKeys(db: Executor, options: KeyStoreOptions): Promise<LoadedKey[]> {
  const publishedSince = new Date(Date.now() - options.retainRetiredForMs);
  const rows = await db
    .select()
    .from(signingKeys)
    .where(or(isNull(signingKeys.retiredAt), gt(signingKeys.retiredAt, publishedSince)))
    .orderBy(desc(signingKeys.createdAt));
  return rows.map((row) => {
    const publicJwk = row.publicJwk as JWK;
    return {
      kid: row.kid,
      publicJwk,
      publicKey: createPublicKey({ key: publicJwk as Record<string, string>, format: "jwk" }),
      privateKey:
        row.retiredAt === null
          ? createPrivateKey({
              key: JSON.parse(decrypt(options.keyEncryptionKey, row.privateJwkEncrypted, row.kid)),
              format: "jwk",
            })
          : null,
    };
  });
}

export async function createKeyStore(options: KeyStoreOptions): Promise<KeyStore> {
  await ensureSigningKey(options.db, options.keyEncryptionKey);
  let keys = await readKeys(options.db, options);
  let byKid = new Map(keys.map((key) => [key.kid, key]));
  let jwks = { keys: keys.map((key) => key.publicJwk) };
  let lastUnknownReload = 0;

  async function reload() {
    keys = await readKeys(options.db, options);
    byKid = new Map(keys.map((key) => [key.kid, key]));
    jwks = { keys: keys.map((key) => key.publicJwk) };
  }

  const timer = setInterval(() => {
    reload().catch(() => {
      // Keep the keys we have; the next tick tries again.
    });
  }, RELOAD_INTERVAL_MS);
  timer.unref();

  return {
    current() {
      const key = keys.find((candidate) => candidate.privateKey !== null);
      if (!key?.privateKey) throw new Error("No active signing key");
      return { kid: key.kid, privateKey: key.privateKey };
    },
    async publicKey(kid) {
      const known = byKid.get(kid);
      if (known) return known.publicKey;
      if (Date.now() - lastUnknownReload < UNKNOWN_KID_RELOAD_MS) return undefined;
      lastUnknownReload = Date.now();
      await reload();
      return byKid.get(kid)?.publicKey;
    },
    jwks: () => jwks,
    reload,
    close: () => clearInterval(timer),
  };
}
