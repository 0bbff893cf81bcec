import { describe, expect, test } from "vitest";
import { readTokenTimes, shouldRefresh } from "../../server/session-tokens.mjs";

function jwt(claims: object): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${encode({ alg: "EdDSA", typ: "at+jwt" })}.${encode(claims)}.signature`;
}

describe("when the web server refreshes", () => {
  const now = 1_000_000;

  test("a missing access token is refreshed", () => {
    expect(shouldRefresh(null, now)).toBe(true);
  });

  test("a 10-minute token is refreshed in its last minute, not before", () => {
    expect(shouldRefresh(jwt({ iat: now - 500, exp: now + 100 }), now)).toBe(false);
    expect(shouldRefresh(jwt({ iat: now - 545, exp: now + 55 }), now)).toBe(true);
  });

  test("a short-lived token keeps at least a 2-second margin", () => {
    expect(shouldRefresh(jwt({ iat: now - 2, exp: now + 6 }), now)).toBe(false);
    expect(shouldRefresh(jwt({ iat: now - 7, exp: now + 1 }), now)).toBe(true);
  });

  test("an expired token is refreshed", () => {
    expect(shouldRefresh(jwt({ iat: now - 700, exp: now - 100 }), now)).toBe(true);
  });

  test("an unreadable token is left for the API to judge", () => {
    expect(readTokenTimes("not-a-jwt")).toBeNull();
    expect(shouldRefresh("not-a-jwt", now)).toBe(false);
  });
});
