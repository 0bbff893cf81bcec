import { describe, expect, it } from "vitest";
import { matchTotpStep, newTotpSecret, totpCode, totpUri } from "../../src/auth/totp.ts";

// RFC 6238 Appendix B, SHA-1 rows. The RFC prints 8 digits; 6-digit codes are the last six
// (the same dynamic truncation, modulo 10^6).
const RFC_SECRET = Buffer.from("12345678901234567890").toString("hex");
const base32 = (hex: string) => {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const byte of Buffer.from(hex, "hex")) bits += byte.toString(2).padStart(8, "0");
  let out = "";
  for (let i = 0; i < bits.length; i += 5) out += alphabet[Number.parseInt(bits.slice(i, i + 5).padEnd(5, "0"), 2)];
  return out;
};
const VECTORS: [seconds: number, code: string][] = [
  [59, "94287082"],
  [1111111109, "07081804"],
  [1111111111, "14050471"],
  [1234567890, "89005924"],
  [2000000000, "69279037"],
  [20000000000, "65353130"],
];

describe("TOTP (RFC 6238)", () => {
  it("computes the RFC 6238 SHA-1 test vectors", () => {
    const secret = base32(RFC_SECRET);
    for (const [seconds, code] of VECTORS) expect(totpCode(secret, seconds * 1000)).toBe(code.slice(2));
  });

  it("verifies the RFC 6238 SHA-1 vectors as configured: each at its own step, one step either side, not two", () => {
    const secret = base32(RFC_SECRET);
    for (const [seconds, code] of VECTORS) {
      const at = seconds * 1000;
      const step = Math.floor(seconds / 30);
      const sixDigits = code.slice(2);
      expect(matchTotpStep(secret, sixDigits, at)).toBe(step);
      expect(matchTotpStep(secret, sixDigits, at + 30_000)).toBe(step);
      expect(matchTotpStep(secret, sixDigits, at - 30_000)).toBe(step);
      expect(matchTotpStep(secret, sixDigits, at + 60_000)).toBeNull();
      expect(matchTotpStep(secret, sixDigits, at - 60_000)).toBeNull();
      // The RFC's 8-digit form is not what this server speaks (6 digits).
      expect(matchTotpStep(secret, code, at)).toBeNull();
    }
  });

  it("accepts a code one step either side of now and refuses two steps away", () => {
    const secret = newTotpSecret();
    const now = 1_800_000_015_000;
    const step = Math.floor(now / 30_000);
    expect(matchTotpStep(secret, totpCode(secret, now), now)).toBe(step);
    expect(matchTotpStep(secret, totpCode(secret, now - 30_000), now)).toBe(step - 1);
    expect(matchTotpStep(secret, totpCode(secret, now + 30_000), now)).toBe(step + 1);
    expect(matchTotpStep(secret, totpCode(secret, now - 60_000), now)).toBeNull();
    expect(matchTotpStep(secret, totpCode(secret, now + 60_000), now)).toBeNull();
  });

  it("makes 160-bit secrets and an otpauth URI with the RFC parameters", () => {
    const secret = newTotpSecret();
    // 32 base32 letters without padding: exactly 160 bits (RFC 4226 §4 R6).
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(newTotpSecret()).not.toBe(secret);
    const uri = new URL(totpUri(secret, "ada@example.com"));
    expect(uri.protocol).toBe("otpauth:");
    expect(uri.searchParams.get("secret")).toBe(secret);
    expect(uri.searchParams.get("algorithm")).toBe("SHA1");
    expect(uri.searchParams.get("digits")).toBe("6");
    expect(uri.searchParams.get("period")).toBe("30");
    expect(uri.searchParams.get("issuer")).toBe("Taskvault");
  });
});
