import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { hasStack, uniqueEmail } from "./browser.ts";
import { type Stack, startStack } from "./stack.ts";

/**
 * The API throttles sign-in per client address, and every browser reaches it through the web
 * server. With the throttles on, two browsers on different addresses must have separate buckets,
 * a browser-written X-Forwarded-For must not pick a fresh one, and an address forwarded by a proxy
 * in the web server's TRUST_PROXY must be honoured. Loopback has many addresses on Linux, so the
 * "browsers" are plain HTTP clients bound to 127.0.0.1, 127.0.0.2 and 127.0.0.3.
 */
const SIGNIN_LIMIT = 3;

describe.skipIf(!hasStack)("per-client sign-in throttling through the web server", () => {
  let throttled: Stack;

  beforeAll(async () => {
    throttled = await startStack({
      accessTtl: 60,
      rateLimit: true,
      apiEnv: { AUTH_SIGNIN_IP_LIMIT: String(SIGNIN_LIMIT) },
      webTrustProxy: "127.0.0.3",
    });
  }, 120_000);
  afterAll(async () => {
    await throttled?.stop();
  });

  function signIn(from: string, forwardedFor?: string): Promise<number> {
    const url = new URL("/api/auth/signin", throttled.webUrl);
    const body = JSON.stringify({ email: uniqueEmail("throttle"), password: "not the password at all" });
    return new Promise((resolve, reject) => {
      const outgoing = httpRequest(
        url,
        {
          method: "POST",
          localAddress: from,
          headers: {
            "content-type": "application/json",
            "content-length": Buffer.byteLength(body),
            origin: throttled.webUrl,
            ...(forwardedFor ? { "x-forwarded-for": forwardedFor } : {}),
          },
        },
        (response) => {
          response.resume();
          response.on("end", () => resolve(response.statusCode ?? 0));
        },
      );
      outgoing.on("error", reject);
      outgoing.end(body);
    });
  }

  test("a forged X-Forwarded-For does not escape the bucket, another address has its own", async () => {
    // One client on 127.0.0.1 claims a different address each time: all its attempts share a bucket.
    const statuses: number[] = [];
    for (let attempt = 0; attempt <= SIGNIN_LIMIT; attempt += 1) {
      statuses.push(await signIn("127.0.0.1", `198.51.100.${attempt + 1}`));
    }
    expect(statuses.slice(0, SIGNIN_LIMIT)).toEqual(Array(SIGNIN_LIMIT).fill(401));
    expect(statuses[SIGNIN_LIMIT]).toBe(429);

    // Another client, on another address, is not made to wait for the first one.
    expect(await signIn("127.0.0.2")).toBe(401);
  });

  test("the address a trusted proxy forwards is honoured, one bucket per forwarded client", async () => {
    // 127.0.0.3 is in the web server's TRUST_PROXY: its X-Forwarded-For names the client.
    const first: number[] = [];
    for (let attempt = 0; attempt <= SIGNIN_LIMIT; attempt += 1) first.push(await signIn("127.0.0.3", "203.0.113.10"));
    expect(first.slice(0, SIGNIN_LIMIT)).toEqual(Array(SIGNIN_LIMIT).fill(401));
    expect(first[SIGNIN_LIMIT]).toBe(429);
    // A second client behind the same proxy has a bucket of its own.
    expect(await signIn("127.0.0.3", "203.0.113.11")).toBe(401);
    // What a client wrote to the left of the proxy's entry is ignored: still 203.0.113.10's bucket.
    expect(await signIn("127.0.0.3", "203.0.113.99, 203.0.113.10")).toBe(429);
  });
});
