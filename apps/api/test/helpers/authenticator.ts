/**
 * A software WebAuthn authenticator for tests: real key pairs (P-256 or Ed25519, node:crypto),
 * authenticator data and a CBOR attestation object of format "none" built byte by byte as
 * WebAuthn L3 §6.1 and §6.5 lay them out, and real signatures over authenticatorData ‖
 * SHA-256(clientDataJSON) (§6.3.3). Every field can be tampered with, to check that the server
 * refuses what it must.
 */
import { createHash, createPublicKey, generateKeyPairSync, type KeyObject, randomBytes, sign } from "node:crypto";

type CborValue = number | string | Uint8Array | CborValue[] | Map<CborValue, CborValue> | { [key: string]: CborValue };

/** Definite-length CBOR (RFC 8949) for the few types WebAuthn uses. */
export function encodeCbor(value: CborValue): Buffer {
  const head = (major: number, length: number): Buffer => {
    if (length < 24) return Buffer.from([(major << 5) | length]);
    if (length < 0x100) return Buffer.from([(major << 5) | 24, length]);
    if (length < 0x10000) return Buffer.from([(major << 5) | 25, length >> 8, length & 0xff]);
    const buffer = Buffer.alloc(5);
    buffer[0] = (major << 5) | 26;
    buffer.writeUInt32BE(length, 1);
    return buffer;
  };
  if (typeof value === "number") return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (typeof value === "string") {
    const bytes = Buffer.from(value, "utf8");
    return Buffer.concat([head(3, bytes.length), bytes]);
  }
  if (value instanceof Uint8Array) return Buffer.concat([head(2, value.length), value]);
  if (Array.isArray(value)) return Buffer.concat([head(4, value.length), ...value.map(encodeCbor)]);
  const entries = value instanceof Map ? [...value.entries()] : Object.entries(value);
  return Buffer.concat([
    head(5, entries.length),
    ...entries.flatMap(([key, item]) => [encodeCbor(key), encodeCbor(item)]),
  ]);
}

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_BE = 0x08;
const FLAG_BS = 0x10;
const FLAG_AT = 0x40;

const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64url");
const sha256 = (data: Uint8Array | string) => createHash("sha256").update(data).digest();

export type Algorithm = "ES256" | "EdDSA";

interface Credential {
  id: Buffer;
  privateKey: KeyObject;
  algorithm: Algorithm;
  userHandle: string;
  counter: number;
}

function coseKey(publicKey: KeyObject, algorithm: Algorithm): Buffer {
  const jwk = publicKey.export({ format: "jwk" }) as { x: string; y?: string };
  const x = Buffer.from(jwk.x, "base64url");
  if (algorithm === "EdDSA") {
    // kty OKP (1), alg EdDSA (-8), crv Ed25519 (6), x.
    return encodeCbor(
      new Map<CborValue, CborValue>([
        [1, 1],
        [3, -8],
        [-1, 6],
        [-2, x],
      ]),
    );
  }
  // kty EC2 (2), alg ES256 (-7), crv P-256 (1), x, y.
  return encodeCbor(
    new Map<CborValue, CborValue>([
      [1, 2],
      [3, -7],
      [-1, 1],
      [-2, x],
      [-3, Buffer.from(jwk.y!, "base64url")],
    ]),
  );
}

export interface CeremonyOverrides {
  origin?: string;
  rpId?: string;
  type?: string;
  challenge?: string;
  userVerified?: boolean;
  /** The counter to report instead of the next one. */
  counter?: number;
  /** Flip a bit of the signature. */
  tamperSignature?: boolean;
}

export interface SoftwareAuthenticatorOptions {
  origin: string;
  rpId: string;
  algorithm?: Algorithm;
  /** A synced passkey: backup eligible and backed up. */
  synced?: boolean;
  /** Synced passkeys never count: every assertion says 0. */
  counting?: boolean;
}

export function createSoftwareAuthenticator(options: SoftwareAuthenticatorOptions) {
  const credentials: Credential[] = [];
  const algorithm = options.algorithm ?? "ES256";
  const counting = options.counting ?? true;

  function flags(userVerified: boolean, extra: number) {
    let value = FLAG_UP | extra;
    if (userVerified) value |= FLAG_UV;
    if (options.synced) value |= FLAG_BE | FLAG_BS;
    return value;
  }

  function clientData(type: string, challenge: string, overrides: CeremonyOverrides) {
    return Buffer.from(
      JSON.stringify({
        type: overrides.type ?? type,
        challenge: overrides.challenge ?? challenge,
        origin: overrides.origin ?? options.origin,
        crossOrigin: false,
      }),
    );
  }

  return {
    credentials,

    /**
     * navigator.credentials.create() on creation options in their JSON form. `reuse` makes a
     * faulty authenticator present an existing credential (id and key) again.
     */
    register(
      creation: { challenge: string; user: { id: string } },
      overrides: CeremonyOverrides & { reuse?: Credential } = {},
    ) {
      const keys = overrides.reuse
        ? { privateKey: overrides.reuse.privateKey, publicKey: createPublicKey(overrides.reuse.privateKey) }
        : algorithm === "EdDSA"
          ? generateKeyPairSync("ed25519")
          : generateKeyPairSync("ec", { namedCurve: "P-256" });
      const credential: Credential = overrides.reuse ?? {
        id: randomBytes(32),
        privateKey: keys.privateKey,
        algorithm,
        userHandle: creation.user.id,
        counter: 0,
      };
      const counter = Buffer.alloc(4);
      counter.writeUInt32BE(overrides.counter ?? 0);
      const idLength = Buffer.alloc(2);
      idLength.writeUInt16BE(credential.id.length);
      const authData = Buffer.concat([
        sha256(overrides.rpId ?? options.rpId),
        Buffer.from([flags(overrides.userVerified ?? true, FLAG_AT)]),
        counter,
        Buffer.alloc(16), // AAGUID: zeros, as with attestation "none"
        idLength,
        credential.id,
        coseKey(keys.publicKey, credential.algorithm),
      ]);
      if (!overrides.reuse) credentials.push(credential);
      const attestationObject = encodeCbor({ fmt: "none", attStmt: new Map(), authData });
      return {
        id: b64url(credential.id),
        rawId: b64url(credential.id),
        type: "public-key" as const,
        response: {
          clientDataJSON: b64url(clientData("webauthn.create", creation.challenge, overrides)),
          attestationObject: b64url(attestationObject),
          transports: ["internal", "hybrid"],
        },
        clientExtensionResults: {},
        authenticatorAttachment: "platform",
      };
    },

    /** navigator.credentials.get() with this authenticator's (first, or given) discoverable credential. */
    authenticate(request: { challenge: string }, overrides: CeremonyOverrides & { credential?: Credential } = {}) {
      const credential = overrides.credential ?? credentials[0];
      if (!credential) throw new Error("No credential registered");
      if (counting) credential.counter += 1;
      const counter = Buffer.alloc(4);
      counter.writeUInt32BE(overrides.counter ?? (counting ? credential.counter : 0));
      const authData = Buffer.concat([
        sha256(overrides.rpId ?? options.rpId),
        Buffer.from([flags(overrides.userVerified ?? true, 0)]),
        counter,
      ]);
      const clientDataJSON = clientData("webauthn.get", request.challenge, overrides);
      const signed = Buffer.concat([authData, sha256(clientDataJSON)]);
      const signature =
        credential.algorithm === "EdDSA"
          ? sign(null, signed, credential.privateKey)
          : sign("sha256", signed, credential.privateKey);
      if (overrides.tamperSignature) signature[signature.length - 1]! ^= 0x01;
      return {
        id: b64url(credential.id),
        rawId: b64url(credential.id),
        type: "public-key" as const,
        response: {
          clientDataJSON: b64url(clientDataJSON),
          authenticatorData: b64url(authData),
          signature: b64url(signature),
          userHandle: credential.userHandle,
        },
        clientExtensionResults: {},
        authenticatorAttachment: "platform",
      };
    },
  };
}
