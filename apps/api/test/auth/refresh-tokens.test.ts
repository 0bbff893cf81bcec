import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { hashRefreshToken, newRefreshToken, parseRefreshToken, successorOf } from "../../src/auth/refresh-tokens.ts";

const USER = "018f3a4c-1d2e-7f00-8a00-0000000000ab";

describe("refresh tokens", () => {
  it("are opaque, prefixed, and carry at least 256 random bits", () => {
    const token = newRefreshToken(USER);
    expect(token).toMatch(/^tvr_[A-Za-z0-9_-]+$/);
    const raw = Buffer.from(token.slice(4), "base64url");
    // 16 bytes of user id, then the secret.
    expect((raw.length - 16) * 8).toBeGreaterThanOrEqual(256);
    const tokens = new Set(Array.from({ length: 200 }, () => newRefreshToken(USER)));
    expect(tokens.size).toBe(200);
    // The secret parts differ in roughly half their bits: they are random, not counters.
    const [a, b] = [...tokens].map((each) => Buffer.from(each.slice(4), "base64url").subarray(16));
    let differing = 0;
    for (let i = 0; i < a!.length; i++) differing += popcount(a![i]! ^ b![i]!);
    expect(differing).toBeGreaterThan(64);
  });

  it("parse back to their user", () => {
    expect(parseRefreshToken(newRefreshToken(USER))).toEqual({ userId: USER });
  });

  it("have a successor that is deterministic per derivation key", () => {
    const token = newRefreshToken(USER);
    const key = randomBytes(32);
    const successor = successorOf(token, key);
    expect(successorOf(token, key)).toBe(successor);
    expect(successor).not.toBe(token);
    expect(parseRefreshToken(successor)).toEqual({ userId: USER });
    expect(successorOf(token, randomBytes(32))).not.toBe(successor);
    expect(successorOf(newRefreshToken(USER), key)).not.toBe(successor);
    expect(successorOf(successor, key)).not.toBe(successor);
  });

  it("are stored only as a hash", () => {
    const token = newRefreshToken(USER);
    const hash = hashRefreshToken(token);
    expect(hash).not.toContain(token.slice(4));
    expect(hash).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(hashRefreshToken(token)).toBe(hash);
  });

  it("parse refuses junk", () => {
    const token = newRefreshToken(USER);
    for (const junk of [
      "",
      "tvr_",
      token.slice(4),
      `xyz_${token.slice(4)}`,
      token.slice(0, -1),
      `${token}A`,
      `tvr_${"!".repeat(token.length - 4)}`,
      "eyJhbGciOiJFZERTQSJ9.e30.sig",
    ]) {
      expect(parseRefreshToken(junk), junk).toBeNull();
    }
    expect(() => successorOf("junk", randomBytes(32))).toThrow();
  });
});

function popcount(byte: number): number {
  let count = 0;
  for (let value = byte; value; value >>= 1) count += value & 1;
  return count;
}
