// GET /api/v1/changes – catch up on the user's change log; GET /api/v1/events – the same, live (SSE)
import { ChangePage, EventsHeaders, EventsQuery, ListChangesQuery } from "@taskvault/contract/changes";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { listChanges } from "./changes.ts";
import { openEventStream, type StreamSettings } from "./stream.ts";

const tags = ["changes"];

export const changeRoutes: FastifyPluginAsyncZod<Omit<StreamSettings, "db" | "log">> = async (app, options) => {
  const { db } = app;
  const settings: StreamSettings = { ...options, db, log: app.log };
  app.get(
    "/changes",
    {
      config: { scopes: ["todos:read", "lists:read"] },
      schema: {
        operationId: "listChanges",
        tags,
        summary: "The changes after `since` (seq), oldest first: upserts carry the entity, deletions are tombstones",
        description:
          "Store the returned `seq` and pass it as the next `since`; while `hasMore`, ask again at once. " +
          "410 `gone` means the log no longer reaches back to `since`: do a full sync (lists, todos) instead.",
        querystring: ListChangesQuery,
        response: { 200: ChangePage },
      },
    },
    (request) => listChanges(db, request.caller.userId, request.query.since, request.query.limit),
  );

  app.get(
    "/events",
    {
      config: { scopes: ["todos:read", "lists:read"] },
      schema: {
        operationId: "streamEvents",
        tags,
        summary: "Server-sent events: each change as it happens (id = seq, event = type, data = the change)",
        description:
          "Resume with `Last-Event-ID` (or `?since=`): nothing is missed or repeated. Comment lines are heartbeats. " +
          "A `session.revoked` event ends the stream of a revoked session. The stream also ends when the access " +
          "token expires or the client reads too slowly: reconnect with a fresh token and resume. " +
          "Too many open streams (per user or per instance) is 429 `too_many_streams`; an unreachable " +
          "position is 410 `gone`.",
        querystring: EventsQuery,
        headers: EventsHeaders,
        produces: ["text/event-stream"],
      },
    },
    (request, reply) =>
      openEventStream(request, reply, settings, request.headers["last-event-id"] ?? request.query.since),
  );
};
