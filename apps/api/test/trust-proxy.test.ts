import type { Session } from "@taskvault/contract/auth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { as, buildTestApp, PASSWORD, type TestApp, uniqueEmail } from "./helpers/app.ts";

// Which address is "the client" decides every per-IP limit and what the session list shows.

function signUpVia(t: TestApp, socket: string, forwardedFor: string) {
  return t.app.inject({
    method: "POST",
    url: "/api/v1/auth/signup",
    payload: { email: uniqueEmail(), password: PASSWORD },
    remoteAddress: socket,
    headers: { "x-forwarded-for": forwardedFor },
  });
}

async function recordedIp(t: TestApp, session: Session) {
  const sessions = (await as(t.app, session)({ method: "GET", url: "/api/v1/auth/sessions" })).json();
  return sessions[0].ip as string;
}

describe("without TRUST_PROXY", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ AUTH_RATE_LIMIT: "on", AUTH_SIGNUP_IP_LIMIT: "2" });
  });
  afterAll(() => t?.close());

  it("ignores X-Forwarded-For: the socket address is the client, so a forged header gets no fresh limit", async () => {
    const socket = "192.0.2.10";
    const first = await signUpVia(t, socket, "203.0.113.1");
    expect(first.statusCode).toBe(201);
    expect(await recordedIp(t, first.json())).toBe(socket);
    expect((await signUpVia(t, socket, "203.0.113.2")).statusCode).toBe(201);
    const third = await signUpVia(t, socket, "203.0.113.3, 203.0.113.4");
    expect(third.statusCode).toBe(429);
    expect(third.headers["retry-after"]).toBeDefined();
  });
});

describe("with TRUST_PROXY naming the proxy", () => {
  let t: TestApp;
  const proxy = "192.0.2.20";
  beforeAll(async () => {
    t = await buildTestApp({ AUTH_RATE_LIMIT: "on", AUTH_SIGNUP_IP_LIMIT: "1", TRUST_PROXY: `${proxy}, 10.0.0.0/8` });
  });
  afterAll(() => t?.close());

  it("believes X-Forwarded-For from that proxy: each client behind it has its own limit and address", async () => {
    const first = await signUpVia(t, proxy, "203.0.113.11");
    expect(first.statusCode).toBe(201);
    expect(await recordedIp(t, first.json())).toBe("203.0.113.11");
    expect((await signUpVia(t, proxy, "203.0.113.12")).statusCode).toBe(201);
    expect((await signUpVia(t, proxy, "203.0.113.11")).statusCode).toBe(429);
  });

  it("takes the nearest untrusted hop, so a client cannot prepend an address of its choice", async () => {
    // The client sent "X-Forwarded-For: 198.51.100.99"; the proxy appended the real address.
    const first = await signUpVia(t, proxy, "198.51.100.99, 203.0.113.21");
    expect(first.statusCode).toBe(201);
    expect(await recordedIp(t, first.json())).toBe("203.0.113.21");
    expect((await signUpVia(t, proxy, "198.51.100.98, 203.0.113.21")).statusCode).toBe(429);
  });

  it("still ignores the header from any other sender", async () => {
    const stranger = "192.0.2.30";
    const first = await signUpVia(t, stranger, "203.0.113.31");
    expect(first.statusCode).toBe(201);
    expect(await recordedIp(t, first.json())).toBe(stranger);
    expect((await signUpVia(t, stranger, "203.0.113.32")).statusCode).toBe(429);
  });
});
