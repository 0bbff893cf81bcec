import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { acceptsGzip, createFastReads, parseCookies } from "../../server/fast-reads.mjs";

function jwt(claims: object): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${encode({ alg: "EdDSA", typ: "at+jwt" })}.${encode(claims)}.signature`;
}

const now = () => Math.floor(Date.now() / 1000);
const freshToken = () => jwt({ iat: now(), exp: now() + 600 });

describe("reading the Cookie header as Next does", () => {
  test("values are URI-decoded, the last of two same-named cookies wins, malformed or valueless pairs are skipped", () => {
    const cookies = parseCookies("tv_at=first; other=a%20b; tv_at=second;broken; bad=%E0%A4%A; =x");
    expect(cookies.get("tv_at")).toBe("second");
    expect(cookies.get("other")).toBe("a b");
    expect(cookies.has("broken")).toBe(false);
    expect(cookies.has("bad")).toBe(false);
    expect(cookies.size).toBe(2);
  });

  test("no header is no cookies", () => {
    expect(parseCookies(undefined).size).toBe(0);
  });
});

describe("deciding whether the browser takes gzip", () => {
  test("listed or `*` takes it, q=0 refuses it, other codings do not offer it", () => {
    expect(acceptsGzip("gzip, deflate, br")).toBe(true);
    expect(acceptsGzip("br;q=1.0, gzip;q=0.5")).toBe(true);
    expect(acceptsGzip("*")).toBe(true);
    expect(acceptsGzip("gzip;q=0")).toBe(false);
    expect(acceptsGzip("br, deflate")).toBe(false);
    expect(acceptsGzip(undefined)).toBe(false);
  });
});

describe("the fast reads hand everything they should not answer to Next", () => {
  // A real web server whose fallback stands where Next would answer, in front of an API address
  // where nothing listens: whatever reaches the API fails on the way and must fall through too.
  let server: Server;
  let base = "";
  let apiCalls = 0;
  const api = createServer((_request, response) => {
    apiCalls++;
    response.writeHead(401, { "content-type": "application/problem+json" }).end("{}");
  });

  beforeAll(async () => {
    await new Promise<void>((resolve) => api.listen(0, "127.0.0.1", resolve));
    const apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
    const refusingApi = createFastReads(apiUrl);
    const unreachableApi = createFastReads("http://127.0.0.1:9");
    server = createServer((request, response) => {
      const serve = request.headers["x-test-api"] === "unreachable" ? unreachableApi : refusingApi;
      serve(request, response).then((answered) => {
        if (!answered) response.writeHead(299, { "x-answered-by": "next" }).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.close();
    api.close();
  });

  async function answeredBy(path: string, init: RequestInit = {}) {
    const response = await fetch(`${base}${path}`, init);
    return response.headers.get("x-answered-by") ?? "fast read";
  }

  test("requests without a session, with a token due for refresh, other methods and other paths", async () => {
    const calls = apiCalls;
    const dueSoon = jwt({ iat: now() - 590, exp: now() + 10 });
    expect(await answeredBy("/api/todos")).toBe("next");
    expect(await answeredBy("/api/todos", { headers: { cookie: "tv_rt=refresh" } })).toBe("next");
    expect(await answeredBy("/api/todos", { headers: { cookie: `tv_at=${dueSoon}; tv_rt=refresh` } })).toBe("next");
    expect(await answeredBy("/api/todos", { method: "POST", headers: { cookie: `tv_at=${freshToken()}` } })).toBe(
      "next",
    );
    for (const path of ["/api/todos/", "/api/todos/abc", "/api/me", "/api/todosx", "/"]) {
      expect(await answeredBy(path, { headers: { cookie: `tv_at=${freshToken()}` } })).toBe("next");
    }
    // Over HTTPS the cookies carry the __Host- prefix: an unprefixed one is not the session there.
    const overHttps = { "x-forwarded-proto": "https", cookie: `tv_at=${freshToken()}` };
    expect(await answeredBy("/api/todos", { headers: overHttps })).toBe("next");
    expect(apiCalls).toBe(calls);
  });

  test("a 401 from the API and an API that cannot be reached, so Next refreshes or answers 503", async () => {
    const calls = apiCalls;
    expect(await answeredBy("/api/todos", { headers: { cookie: `tv_at=${freshToken()}` } })).toBe("next");
    expect(apiCalls).toBe(calls + 1);
    const unreachable = { cookie: `tv_at=${freshToken()}`, "x-test-api": "unreachable" };
    expect(await answeredBy("/api/lists", { headers: unreachable })).toBe("next");
  });
});
