import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const SECRET_FILE = "auth-key-secret";

/**
 * The deployment's root secret: AUTH_KEY_SECRET, or in development a file generated once in
 * DATA_DIR. Production refuses to start without the variable (checked in config.ts).
 */
export function resolveKeySecret(options: {
  secret?: string | undefined;
  dataDir: string;
  log?: (msg: string) => void;
}) {
  if (options.secret) return Buffer.from(options.secret, "base64");
  const file = join(options.dataDir, SECRET_FILE);
  if (existsSync(file)) return Buffer.from(readFileSync(file, "utf8").trim(), "base64");
  mkdirSync(options.dataDir, { recursive: true });
  const secret = randomBytes(32);
  writeFileSync(file, `${secret.toString("base64")}\n`, { mode: 0o600, flag: "wx" });
  chmodSync(file, 0o600);
  options.log?.(`Generated a development key-encryption secret in ${file}; set AUTH_KEY_SECRET in production`);
  return secret;
}

export interface DerivedSecrets {
  /** Encrypts the token-signing private keys and the TOTP secrets at rest. */
  keyEncryptionKey: Buffer;
  /** Derives each refresh token's successor, so concurrent refreshes receive the same one. */
  refreshDerivationKey: Buffer;
  /** Keys the hash of recovery codes (auth/recovery-codes.ts). */
  recoveryCodeKey: Buffer;
}

export function deriveSecrets(rootSecret: Buffer): DerivedSecrets {
  const derive = (info: string) => Buffer.from(hkdfSync("sha256", rootSecret, "taskvault", info, 32));
  return {
    keyEncryptionKey: derive("signing-key-encryption/v1"),
    refreshDerivationKey: derive("refresh-token-successor/v1"),
    recoveryCodeKey: derive("recovery-code-hash/v1"),
  };
}

/** AES-256-GCM; the associated data binds a ciphertext to its key id so rows cannot be swapped. */
export function encrypt(key: Buffer, plaintext: string, associatedData: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(associatedData));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64url");
}

export function decrypt(key: Buffer, ciphertext: string, associatedData: string): string {
  const raw = Buffer.from(ciphertext, "base64url");
  const decipher = createDecipheriv("aes-256-gcm", key, raw.subarray(0, 12));
  decipher.setAAD(Buffer.from(associatedData));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
}
