import { request as httpRequest, type IncomingMessage } from "node:http";
import type { Session } from "@taskvault/contract/auth";
import type { Change } from "@taskvault/contract/changes";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { as, buildTestApp, PASSWORD, signUp, type TestApp } from "../helpers/app.ts";
import { until } from "../helpers/until.ts";
import { listen, openStream, type SseEvent } from "./sse.ts";

// GET /api/v1/events over real HTTP (inject does not stream): frames, resume with Last-Event-ID,
// heartbeats, limits, slow consumers, and the end of a revoked session's stream.

let t: TestApp;
let base: string;
beforeAll(async () => {
  t = await buildTestApp({
    STREAM_HEARTBEAT_SECONDS: "0.3",
    STREAM_STALL_SECONDS: "1",
    STREAMS_PER_USER: "3",
  });
  base = await listen(t.app);
});
afterAll(() => t?.close());

const changeOf = (event: SseEvent): Change => JSON.parse(event.data);

async function createTodo(session: Session, title: string) {
  const response = await as(t.app, session)({ method: "POST", url: "/api/v1/todos", payload: { title } });
  expect(response.statusCode).toBe(201);
  return response.json();
}

describe("GET /api/v1/events", () => {
  it("needs a token", async () => {
    const stream = await openStream(base, undefined);
    expect(stream.status).toBe(401);
    expect(JSON.parse(stream.body).code).toBe("unauthorized");
  });

  it("streams each change as it happens, with id = seq, proxy-proof headers and heartbeats", async () => {
    const session = await signUp(t.app);
    const stream = await openStream(base, session.accessToken);
    expect(stream.status).toBe(200);
    expect(stream.headers.get("content-type")).toBe("text/event-stream");
    expect(stream.headers.get("cache-control")).toMatch(/no-cache/);
    expect(stream.headers.get("x-accel-buffering")).toBe("no");

    const todo = await createTodo(session, "Buy milk");
    const patched = (
      await as(t.app, session)({ method: "PATCH", url: `/api/v1/todos/${todo.id}`, payload: { completed: true } })
    ).json();
    await as(t.app, session)({ method: "DELETE", url: `/api/v1/todos/${todo.id}` });

    const events = await stream.waitForEvents(3);
    expect(events.map((event) => [event.id, event.event])).toEqual([
      ["1", "todo.upserted"],
      ["2", "todo.upserted"],
      ["3", "todo.deleted"],
    ]);
    expect(events.map(changeOf)).toEqual([
      { seq: 1, type: "todo.upserted", id: todo.id, data: todo },
      { seq: 2, type: "todo.upserted", id: todo.id, data: patched },
      { seq: 3, type: "todo.deleted", id: todo.id, data: null },
    ]);
    // Heartbeat comments keep an idle connection open through proxies.
    await until(() => stream.comments.filter((comment) => comment === "heartbeat").length >= 2, 3000);
    expect(stream.isEnded()).toBe(false);
    stream.close();
  });

  it("starts at the present without a position, and from ?since= with one", async () => {
    const session = await signUp(t.app);
    await createTodo(session, "old 1");
    await createTodo(session, "old 2");
    const fresh = await openStream(base, session.accessToken);
    const fromOne = await openStream(base, session.accessToken, { query: "?since=1" });
    await createTodo(session, "new");
    expect((await fresh.waitForEvents(1)).map((event) => event.id)).toEqual(["3"]);
    expect((await fromOne.waitForEvents(2)).map((event) => event.id)).toEqual(["2", "3"]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fresh.events).toHaveLength(1);
    expect(fromOne.events).toHaveLength(2);
    fresh.close();
    fromOne.close();
  });

  it("delivers a change no request announced (written straight to the database) through the catch-up poll", async () => {
    const session = await signUp(t.app);
    const todo = await createTodo(session, "Water the plants");
    const stream = await openStream(base, session.accessToken);
    // No response publishes this one: only the hub's look at the log can find it.
    await t.database.handle.db.execute(
      sql`update todos set title = 'Water the cactus', version = version + 1 where user_id = ${session.user.id} and id = ${todo.id}`,
    );
    const [event] = await stream.waitForEvents(1, 15_000);
    expect(changeOf(event!)).toMatchObject({
      seq: 2,
      type: "todo.upserted",
      id: todo.id,
      data: { title: "Water the cactus" },
    });
    stream.close();
  });

  it("resumes after a dropped connection with Last-Event-ID: nothing missed, nothing repeated", async () => {
    const session = await signUp(t.app);
    const first = await openStream(base, session.accessToken);
    for (let i = 0; i < 5; i++) await createTodo(session, `before ${i}`);
    const received = await first.waitForEvents(5);
    first.close();
    // Written while no stream is open.
    for (let i = 0; i < 7; i++) await createTodo(session, `offline ${i}`);
    const second = await openStream(base, session.accessToken, { lastEventId: received.at(-1)!.id! });
    for (let i = 0; i < 3; i++) await createTodo(session, `after ${i}`);
    const resumed = await second.waitForEvents(10);
    const ids = [...received, ...resumed].map((event) => Number(event.id));
    expect(ids).toEqual(Array.from({ length: 15 }, (_, index) => index + 1));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(second.events).toHaveLength(10);
    // Last-Event-ID wins over ?since= (EventSource keeps the URL it was opened with).
    const third = await openStream(base, session.accessToken, { lastEventId: "14", query: "?since=2" });
    expect((await third.waitForEvents(1)).map((event) => event.id)).toEqual(["15"]);
    second.close();
    third.close();
  });

  it("refuses a position the log does not reach with 410, and a malformed Last-Event-ID with 400", async () => {
    const session = await signUp(t.app);
    await createTodo(session, "one");
    const ahead = await openStream(base, session.accessToken, { lastEventId: "5" });
    expect(ahead.status).toBe(410);
    expect(JSON.parse(ahead.body).code).toBe("gone");
    const malformed = await openStream(base, session.accessToken, { lastEventId: "abc" });
    expect(malformed.status).toBe(400);
  });

  it("limits the streams one user may hold open with 429 too_many_streams", async () => {
    const session = await signUp(t.app);
    const open = await Promise.all([1, 2, 3].map(() => openStream(base, session.accessToken)));
    expect(open.map((stream) => stream.status)).toEqual([200, 200, 200]);
    const refused = await openStream(base, session.accessToken);
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBeTruthy();
    expect(JSON.parse(refused.body)).toMatchObject({ code: "too_many_streams", status: 429 });
    expect(JSON.parse(refused.body).detail).toMatch(/At most 3 event streams per user/);
    // Another user is not affected; closing one frees a slot.
    const other = await openStream(base, (await signUp(t.app)).accessToken);
    expect(other.status).toBe(200);
    open[0]!.close();
    await until(async () => {
      const retry = await openStream(base, session.accessToken);
      retry.close();
      return retry.status === 200;
    }, 3000);
    for (const stream of [...open, other]) stream.close();
  });

  it("ends the stream of a revoked session with session.revoked, and only that one", async () => {
    const session = await signUp(t.app);
    const signin = await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/signin",
      payload: { email: session.user.email, password: PASSWORD },
    });
    const otherSession: Session = signin.json();
    const revoked = await openStream(base, session.accessToken);
    const kept = await openStream(base, otherSession.accessToken);
    await createTodo(session, "seen by both");
    await revoked.waitForEvents(1);
    await kept.waitForEvents(1);

    const signout = await as(t.app, session)({ method: "POST", url: "/api/v1/auth/signout" });
    expect(signout.statusCode).toBe(204);
    await revoked.ended;
    expect(revoked.events.at(-1)?.event).toBe("session.revoked");
    expect(kept.isEnded()).toBe(false);

    // Ending every session (sign out everywhere) ends the rest.
    await as(t.app, otherSession)({ method: "POST", url: "/api/v1/auth/signout-all" });
    await kept.ended;
    expect(kept.events.at(-1)?.event).toBe("session.revoked");
    // And a revoked token cannot open a new one.
    expect((await openStream(base, session.accessToken)).status).toBe(401);
  });

  it("ends the streams of a deleted account with session.revoked", async () => {
    const session = await signUp(t.app);
    const stream = await openStream(base, session.accessToken);
    await createTodo(session, "soon gone");
    await stream.waitForEvents(1);
    const deleted = await as(t.app, session)({ method: "DELETE", url: "/api/v1/me", payload: { password: PASSWORD } });
    expect(deleted.statusCode).toBe(204);
    await stream.ended;
    expect(stream.events.map((event) => event.event)).toEqual(["todo.upserted", "session.revoked"]);
  });

  it("disconnects a client that stops reading, without buffering its backlog, and it resumes", async () => {
    const session = await signUp(t.app);
    const userId = session.user.id;
    const db = t.database.handle.db;
    // 100 todos of ~5 KB, each rewritten 40 times: ~20 MB of events, more than socket buffers hold.
    await db.execute(sql`
      insert into todos (user_id, id, title, description, position, created_at, updated_at)
      select ${userId}::uuid, gen_random_uuid(), 'big ' || n, repeat('x', 5000), n, now(), now()
      from generate_series(1, 100) n`);
    const start = Number(
      (await as(t.app, session)({ method: "GET", url: "/api/v1/changes?since=0&limit=1" })).json().seq,
    );

    const streamsBefore = t.app.changeHub.stats().streams;
    // A raw HTTP client that reads nothing after the headers.
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      const request = httpRequest(`${base}/api/v1/events?since=${start}`, {
        headers: { authorization: `Bearer ${session.accessToken}` },
      });
      request.on("response", resolve).on("error", reject).end();
    });
    expect(response.statusCode).toBe(200);
    response.pause();
    expect(t.app.changeHub.stats().streams).toBe(streamsBefore + 1);

    let peakBuffered = 0;
    const sampler = setInterval(() => {
      peakBuffered = Math.max(peakBuffered, t.app.changeHub.stats().buffered);
    }, 5);
    for (let round = 0; round < 40; round++) {
      await db.execute(sql`update todos set version = version + 1 where user_id = ${userId}`);
    }
    const total = start + 4000;
    // The server ends the stalled stream (STREAM_STALL_SECONDS=1 here).
    await until(() => t.app.changeHub.stats().streams === streamsBefore, 10_000);
    clearInterval(sampler);
    // The server held back at most about a socket buffer and a batch, never the backlog.
    expect(peakBuffered).toBeLessThan(2 * 1024 * 1024);

    // What did reach the client, then a resume from its last id, covers every change exactly once.
    let text = "";
    response.setEncoding("utf8");
    response.on("data", (chunk: string) => {
      text += chunk;
    });
    response.resume();
    await new Promise((resolve) => response.on("close", resolve));
    const ids = [...text.matchAll(/^id: (\d+)$/gm)].map((match) => Number(match[1]));
    expect(ids.length).toBeLessThan(4000);
    const lastId = ids.at(-1) ?? start;
    const resumed = await openStream(base, session.accessToken, { lastEventId: String(lastId) });
    const rest = await resumed.waitForEvents(total - lastId, 20_000);
    const all = [...ids, ...rest.map((event) => Number(event.id))];
    expect(all).toEqual(Array.from({ length: 4000 }, (_, index) => start + index + 1));
    resumed.close();
  }, 60_000);

  it("ends a stream when its access token expires, and every stream when the app closes", async () => {
    const other = await buildTestApp({ AUTH_ACCESS_TTL: "2" });
    const url = await listen(other.app);
    const session = await signUp(other.app);
    const expiring = await openStream(url, session.accessToken);
    expect(expiring.status).toBe(200);
    const opened = Date.now();
    await expiring.ended;
    expect(Date.now() - opened).toBeLessThan(3000);
    expect(expiring.events.map((event) => event.event)).not.toContain("session.revoked");

    const fresh = (
      await other.app.inject({
        method: "POST",
        url: "/api/v1/auth/refresh",
        payload: { refreshToken: session.refreshToken },
      })
    ).json();
    const open = await openStream(url, fresh.accessToken);
    expect(open.status).toBe(200);
    await other.close();
    await open.ended;
    expect(open.isEnded()).toBe(true);
  });
});
