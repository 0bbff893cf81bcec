import { describe, expect, test } from "vitest";
import { hasStack, PASSWORD, uniqueEmail, webUrl } from "./browser.ts";

/** Signs up over the BFF and returns the session cookies as a browser would send them. */
async function signUpOverHttp() {
  const response = await fetch(webUrl("/api/auth/signup"), {
    method: "POST",
    headers: { "content-type": "application/json", origin: new URL(webUrl()).origin },
    body: JSON.stringify({ email: uniqueEmail("fast-read"), password: PASSWORD }),
  });
  expect(response.status).toBe(201);
  const pairs = response.headers.getSetCookie().map((header) => header.split(";")[0] ?? "");
  const refresh = pairs.find((pair) => pair.startsWith("tv_rt=")) ?? "";
  return { cookie: pairs.join("; "), refresh };
}

async function send(path: string, cookie: string, init: RequestInit = {}) {
  const origin = new URL(webUrl()).origin;
  const headers = { cookie, origin, "content-type": "application/json", ...init.headers };
  return fetch(webUrl(path), { ...init, headers });
}

/** Response headers that say what the answer is, without those of the transport and the moment. */
function describeHeaders(response: Response) {
  const ignored = new Set(["date", "connection", "keep-alive", "content-length", "transfer-encoding", "vary"]);
  return Object.fromEntries([...response.headers].filter(([name]) => !ignored.has(name) && name !== "set-cookie"));
}

describe.skipIf(!hasStack)("the todo and list reads server.mjs answers before Next's router", () => {
  test("answer exactly as the route handler answers the same read, compressed, without touching cookies", async () => {
    const { cookie, refresh } = await signUpOverHttp();
    for (let index = 0; index < 30; index++) {
      const created = await send("/api/todos", cookie, {
        method: "POST",
        body: JSON.stringify({ title: `Errand number ${index} with a title long enough to compress` }),
      });
      expect(created.status).toBe(201);
    }

    const fast = await send("/api/todos?limit=20", cookie);
    // An access token the API refuses: the route handler refreshes once, retries and answers.
    const viaRouteHandler = await send("/api/todos?limit=20", `tv_at=not-a-token; ${refresh}`);
    expect(fast.status).toBe(200);
    expect(viaRouteHandler.status).toBe(200);
    // Next's own answers also vary on its router headers; the fast read's only on the encoding.
    expect(fast.headers.get("vary")).toBe("Accept-Encoding");
    expect(viaRouteHandler.headers.get("vary")).toContain("next-router-state-tree");
    expect(describeHeaders(fast)).toEqual(describeHeaders(viaRouteHandler));
    expect(fast.headers.get("content-encoding")).toBe("gzip");
    expect(fast.headers.get("content-security-policy")).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(fast.headers.get("cache-control")).toBe("no-store");
    expect(fast.headers.getSetCookie()).toEqual([]);
    expect(viaRouteHandler.headers.getSetCookie().some((header) => header.startsWith("tv_rt="))).toBe(true);
    const [fastPage, handlerPage] = [await fast.json(), await viaRouteHandler.json()];
    expect(fastPage).toEqual(handlerPage);
    expect(fastPage.items).toHaveLength(20);
    expect(fastPage.nextCursor).toBeTruthy();
  });

  test("pass the query to the API and keep each user to their own todos", async () => {
    const first = await signUpOverHttp();
    const second = await signUpOverHttp();
    const created = await (await send("/api/todos", first.cookie, { method: "POST", body: '{"title":"Mine"}' })).json();
    await send(`/api/todos/${created.id}`, first.cookie, { method: "PATCH", body: '{"completed":true}' });
    await send("/api/todos", first.cookie, { method: "POST", body: '{"title":"Still open"}' });

    const completed = await (await send("/api/todos?status=completed", first.cookie)).json();
    expect(completed.items.map((todo: { title: string }) => todo.title)).toEqual(["Mine"]);
    const invalid = await send("/api/todos?limit=0", first.cookie);
    expect(invalid.status).toBe(400);
    expect(invalid.headers.get("content-type")).toContain("application/problem+json");
    expect((await (await send("/api/todos", second.cookie)).json()).items).toEqual([]);
    expect((await (await send("/api/lists", second.cookie)).json()).items).toEqual([]);
  });
});
