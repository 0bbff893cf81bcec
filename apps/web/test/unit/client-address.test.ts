import type { IncomingMessage } from "node:http";
import { describe, expect, test } from "vitest";
import { clientAddress, compileTrust, setClientAddress } from "../../server/client-address.mjs";

function request(remoteAddress: string, headers: Record<string, string> = {}): IncomingMessage {
  const socket = { remoteAddress };
  return { socket, connection: socket, headers: { ...headers } } as unknown as IncomingMessage;
}

describe("the client address the web server forwards", () => {
  test("without TRUST_PROXY it is the socket address, whatever the browser claims", () => {
    const trust = compileTrust(undefined);
    expect(clientAddress(request("203.0.113.7", { "x-forwarded-for": "198.51.100.1" }), trust)).toBe("203.0.113.7");
    expect(clientAddress(request("127.0.0.1", { "x-forwarded-for": "10.9.9.9, 198.51.100.1" }), trust)).toBe(
      "127.0.0.1",
    );
  });

  test("from a trusted proxy, the chain is walked from the right past trusted hops", () => {
    const trust = compileTrust("10.0.0.0/8, 192.0.2.5");
    const viaTwoProxies = request("10.0.0.2", { "x-forwarded-for": "6.6.6.6, 203.0.113.7, 192.0.2.5" });
    // 6.6.6.6 was written by the browser itself: left of the first untrusted hop, never used.
    expect(clientAddress(viaTwoProxies, trust)).toBe("203.0.113.7");
    expect(clientAddress(request("10.0.0.2", { "x-forwarded-for": "203.0.113.7" }), trust)).toBe("203.0.113.7");
  });

  test("a trusted proxy that sent no X-Forwarded-For is itself the client", () => {
    expect(clientAddress(request("10.0.0.2"), compileTrust("10.0.0.0/8"))).toBe("10.0.0.2");
  });

  test("an untrusted socket's X-Forwarded-For is ignored even if it names a trusted proxy", () => {
    const trust = compileTrust("10.0.0.0/8");
    expect(clientAddress(request("203.0.113.7", { "x-forwarded-for": "10.0.0.2" }), trust)).toBe("203.0.113.7");
  });

  test("IPv4-mapped IPv6 socket addresses become plain IPv4; IPv6 stays", () => {
    const trust = compileTrust("");
    expect(clientAddress(request("::ffff:203.0.113.7"), trust)).toBe("203.0.113.7");
    expect(clientAddress(request("2001:db8::1"), trust)).toBe("2001:db8::1");
  });

  test("setClientAddress replaces X-Forwarded-For and drops the other forgeable headers", () => {
    const incoming = request("203.0.113.7", {
      "x-forwarded-for": "198.51.100.1, 198.51.100.2",
      forwarded: "for=198.51.100.3",
      "x-real-ip": "198.51.100.4",
    });
    expect(setClientAddress(incoming, compileTrust(undefined))).toBe("203.0.113.7");
    expect(incoming.headers["x-forwarded-for"]).toBe("203.0.113.7");
    expect(incoming.headers.forwarded).toBeUndefined();
    expect(incoming.headers["x-real-ip"]).toBeUndefined();
  });

  test("a malformed TRUST_PROXY entry stops the server instead of trusting nobody silently", () => {
    expect(() => compileTrust("10.0.0.0/8, not-an-address")).toThrow();
  });
});
