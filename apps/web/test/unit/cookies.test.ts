import { NextResponse } from "next/server";
import { describe, expect, test } from "vitest";
import {
  clearedSessionCookies,
  isSecureRequest,
  readSessionTokens,
  sessionCookies,
  writeCookies,
} from "@/features/auth/cookies.server.ts";

const session = {
  accessToken: "access.jwt.value",
  expiresIn: 600,
  refreshToken: "opaque-refresh",
  refreshExpiresIn: 2_592_000,
};

function setCookieHeaders(response: NextResponse): string[] {
  return response.headers.getSetCookie();
}

describe("session cookies", () => {
  test("over plain HTTP the tokens go into HttpOnly, SameSite=Lax cookies without the __Host- prefix", () => {
    const response = new NextResponse(null);
    writeCookies(response.cookies, sessionCookies(session, false));
    const headers = setCookieHeaders(response);
    expect(headers).toHaveLength(2);
    const [access, refresh] = headers as [string, string];
    expect(access).toMatch(/^tv_at=access\.jwt\.value;/);
    expect(refresh).toMatch(/^tv_rt=opaque-refresh;/);
    for (const header of headers) {
      expect(header).toMatch(/; HttpOnly/i);
      expect(header).toMatch(/; SameSite=lax/i);
      expect(header).toMatch(/; Path=\//);
      expect(header).not.toMatch(/; Secure/i);
      expect(header).not.toMatch(/; Domain=/i);
    }
    expect(access).toMatch(/Max-Age=600/);
    expect(refresh).toMatch(/Max-Age=2592000/);
  });

  test("over HTTPS they are Secure and __Host- prefixed", () => {
    const response = new NextResponse(null);
    writeCookies(response.cookies, sessionCookies(session, true));
    const headers = setCookieHeaders(response);
    expect(headers.map((header) => header.split("=")[0])).toEqual(["__Host-tv_at", "__Host-tv_rt"]);
    for (const header of headers) {
      expect(header).toMatch(/; Secure/i);
      expect(header).toMatch(/; HttpOnly/i);
      expect(header).toMatch(/; Path=\//);
    }
  });

  test("signing out expires both cookies", () => {
    const response = new NextResponse(null);
    writeCookies(response.cookies, clearedSessionCookies(false));
    const headers = setCookieHeaders(response);
    expect(headers).toHaveLength(2);
    for (const header of headers) expect(header).toMatch(/Max-Age=0/);
  });

  test("tokens are read back from the cookie names of the request's scheme", () => {
    const jar = new Map([
      ["tv_at", { value: "a" }],
      ["tv_rt", { value: "r" }],
    ]);
    expect(readSessionTokens(jar, false)).toEqual({ accessToken: "a", refreshToken: "r" });
    expect(readSessionTokens(jar, true)).toEqual({ accessToken: null, refreshToken: null });
  });

  test("HTTPS is recognised directly or through X-Forwarded-Proto", () => {
    expect(isSecureRequest(new URL("https://todo.example/"), new Headers())).toBe(true);
    expect(isSecureRequest(new URL("http://127.0.0.1:3000/"), new Headers({ "x-forwarded-proto": "https" }))).toBe(
      true,
    );
    expect(isSecureRequest(new URL("http://127.0.0.1:3000/"), new Headers())).toBe(false);
  });
});
