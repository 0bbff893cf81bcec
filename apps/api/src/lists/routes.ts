// /api/v1/lists – the caller's lists and the lists shared with them; each route declares what it
// touches (config.access, sharing/access.ts) and its handler works on the grant it gets
import {
  CreateList,
  DeleteListQuery,
  List,
  ListCollection,
  ListColor,
  ListParams,
  UpdateList,
} from "@taskvault/contract/lists";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { IfMatchHeaders, parseIfMatch, withEtag } from "../http/versioning.ts";
import { createList, deleteList, getList, listLists, updateList } from "./lists.ts";

const tags = ["lists"];
const PALETTE = `\`color\` is one of ${ListColor.options.map((color) => `\`${color}\``).join(", ")}, or null.`;

export const listRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app;
  app.get(
    "/",
    {
      schema: {
        operationId: "listLists",
        tags,
        summary: "The user's lists in order, with todoCount and activeCount",
        response: { 200: ListCollection },
      },
      config: { access: "caller", scopes: ["lists:read"] },
    },
    (request) => listLists(db, request.caller.userId),
  );

  app.post(
    "/",
    {
      schema: {
        operationId: "createList",
        tags,
        summary: "Create a list (names are unique per user, ignoring case: 409 otherwise)",
        description: PALETTE,
        body: CreateList,
        response: { 201: List },
      },
      config: { access: "caller", scopes: ["lists:write"] },
    },
    async (request, reply) => {
      const list = await createList(db, request.caller.userId, request.body);
      reply.code(201).header("location", `/api/v1/lists/${list.id}`);
      return withEtag(reply, list);
    },
  );

  app.get(
    "/:id",
    {
      schema: {
        operationId: "getList",
        tags,
        summary: "One list, with its ETag",
        params: ListParams,
        response: { 200: List },
      },
      config: { access: { list: "params.id", action: "read" }, scopes: ["lists:read"] },
    },
    async (request, reply) => withEtag(reply, await getList(db, request.grants.list!)),
  );

  app.patch(
    "/:id",
    {
      schema: {
        operationId: "updateList",
        tags,
        summary: "Rename, recolour or move a list (If-Match for optimistic concurrency)",
        description: PALETTE,
        params: ListParams,
        headers: IfMatchHeaders,
        body: UpdateList,
        response: { 200: List },
      },
      config: { access: { list: "params.id", action: "manage" }, scopes: ["lists:write"] },
    },
    async (request, reply) =>
      withEtag(
        reply,
        await updateList(db, request.grants.list!, request.body, parseIfMatch(request.headers["if-match"])),
      ),
  );

  app.delete(
    "/:id",
    {
      schema: {
        operationId: "deleteList",
        tags,
        summary: "Delete a list; with todos in it, ?todos=delete deletes them and ?todos=inbox moves them (else 409)",
        params: ListParams,
        headers: IfMatchHeaders,
        querystring: DeleteListQuery,
      },
      config: { access: { list: "params.id", action: "manage" }, scopes: ["lists:write", "todos:write"] },
    },
    async (request, reply) => {
      await deleteList(db, request.grants.list!, request.query, parseIfMatch(request.headers["if-match"]));
      return reply.code(204).send();
    },
  );
};
