// /api/v1/todos – the caller's todos and those of the lists shared with them; each route declares
// what it touches (config.access, sharing/access.ts) and its handler works on the grants it gets
import {
  CompleteAllResult,
  CreateTodo,
  DeleteCompletedResult,
  DeleteTodosQuery,
  ListTodosQuery,
  ParsedTodo,
  ParseTodo,
  ReplaceTodo,
  Todo,
  TodoPage,
  TodoParams,
  UpdateTodo,
  UpdateTodoResult,
} from "@taskvault/contract/todos";
import type { FastifyReply } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { AppError } from "../errors.ts";
import { IfMatchHeaders, parseIfMatch, withEtag } from "../http/versioning.ts";
import { completeAll } from "./complete-todo.ts";
import { createTodo, createTodoOnce, creationTarget } from "./create-todo.ts";
import { deleteCompleted, deleteTodo } from "./delete-todos.ts";
import { listTodos } from "./list-todos.ts";
import { parseTodoText } from "./parse.ts";
import { getTodo } from "./read-todo.ts";
import { replaceTodo, updateTodo, writeTarget } from "./update-todo.ts";

const tags = ["todos"];
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/** JSON the database wrote (a TodoPage, see listTodos): a string with a JSON type is sent as it is. */
const sendJsonText = (reply: FastifyReply, json: string) => reply.type("application/json; charset=utf-8").send(json);

const CreateHeaders = z.object({ "idempotency-key": z.string().optional() });

export const todoRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app;
  app.get(
    "/",
    {
      schema: {
        operationId: "listTodos",
        tags,
        summary: "List todos",
        description:
          "`listId` (a list id, or `inbox`) and `parentId` (a todo id, or `none` for top level) narrow the list. " +
          "`due=today|upcoming` count days in `tz` when given, else in each todo's own `timezone`.",
        querystring: ListTodosQuery,
        response: { 200: TodoPage },
      },
      config: { access: "caller", scopes: ["todos:read"] },
    },
    async (request, reply) => sendJsonText(reply, await listTodos(db, request.caller.userId, request.query)),
  );

  app.post(
    "/",
    {
      schema: {
        operationId: "createTodo",
        tags,
        summary: "Create a todo (Idempotency-Key makes retries safe for 24 h)",
        headers: CreateHeaders,
        body: CreateTodo,
        response: { 201: Todo },
      },
      config: { access: { action: "write", also: ["body.listId", "body.parentId"] }, scopes: ["todos:write"] },
    },
    async (request, reply) => {
      const key = request.headers["idempotency-key"];
      if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
        throw new AppError("bad_request", "Idempotency-Key must be 1–255 visible ASCII characters");
      }
      const target = creationTarget(request.caller.userId, request.grants);
      const { todo } = key
        ? await createTodoOnce(db, target, key, request.body)
        : { todo: await createTodo(db, target, request.body) };
      reply.code(201).header("location", `/api/v1/todos/${todo.id}`);
      return withEtag(reply, todo);
    },
  );

  app.post(
    "/complete-all",
    {
      schema: {
        operationId: "completeAllTodos",
        tags,
        summary: "Complete every active todo",
        response: { 200: CompleteAllResult },
      },
      config: { access: "caller", scopes: ["todos:write"] },
    },
    (request) => completeAll(db, request.caller.userId),
  );

  app.delete(
    "/",
    {
      schema: {
        operationId: "deleteCompletedTodos",
        tags,
        summary: "Delete completed todos (status=completed is required)",
        querystring: DeleteTodosQuery,
        response: { 200: DeleteCompletedResult },
      },
      config: { access: "caller", scopes: ["todos:write"] },
    },
    (request) => deleteCompleted(db, request.caller.userId),
  );

  app.post(
    "/parse",
    {
      schema: {
        operationId: "parseQuickAdd",
        tags,
        summary: "Read a quick-add line; creates nothing",
        description:
          '`#List`, `@tag`, `!low|!medium|!high`, natural dates and times ("tomorrow 5pm", "next fri", "in 3 days") ' +
          'and repeats ("every day", "every 2 weeks", "every weekday", "every monday and thursday", ' +
          '"every month on the 15th") are taken out of the text; the rest is the title. Read in `tz` (default: ' +
          "the user's zone) relative to `now` (default: the server's clock). A date without a time is due at " +
          "23:59 that day; a repeat is due at its first occurrence from now. Tokens count only as whole words " +
          'starting with a letter: "#3" and "@ 5$" stay in the title.',
        body: ParseTodo,
        response: { 200: ParsedTodo },
      },
      config: { access: "caller", scopes: ["todos:read"] },
    },
    (request) => parseTodoText(db, request.caller.userId, request.body),
  );

  app.get(
    "/:id",
    {
      schema: {
        operationId: "getTodo",
        tags,
        summary: "One todo, with its ETag",
        params: TodoParams,
        response: { 200: Todo },
      },
      config: { access: { todo: "params.id", action: "read" }, scopes: ["todos:read"] },
    },
    async (request, reply) => withEtag(reply, await getTodo(db, request.grants.todo!.ownerId, request.params.id)),
  );

  app.patch(
    "/:id",
    {
      schema: {
        operationId: "updateTodo",
        tags,
        summary: "Change some fields (If-Match for optimistic concurrency)",
        description:
          "Completing a recurring todo keeps it and creates its next instance (due at the rule's next " +
          "occurrence after `dueAt`, or after the completion day with `recurFrom=completion`, computed in the " +
          "todo's `timezone`; `remindAt` shifted by as much), returned as `next`. That happens once per " +
          "instance: completing it again, concurrently, after re-opening it, or retrying (with or without an " +
          "Idempotency-Key) answers with the same `next`. Re-opening it does not delete the next instance. " +
          "Rules are evaluated as RFC 5545 says and kept as written: a month without the day is skipped; " +
          "`BYMONTHDAY=28,29,30,31;BYSETPOS=-1` means the 31st or the last day of shorter months.",
        params: TodoParams,
        headers: IfMatchHeaders,
        body: UpdateTodo,
        response: { 200: UpdateTodoResult },
      },
      config: {
        access: { todo: "params.id", action: "write", also: ["body.listId", "body.parentId"] },
        scopes: ["todos:write"],
      },
    },
    async (request, reply) =>
      withEtag(
        reply,
        await updateTodo(db, writeTarget(request.grants), request.body, parseIfMatch(request.headers["if-match"])),
      ),
  );

  app.put(
    "/:id",
    {
      schema: {
        operationId: "replaceTodo",
        tags,
        summary: "Replace a todo (omitted fields return to their defaults)",
        params: TodoParams,
        headers: IfMatchHeaders,
        body: ReplaceTodo,
        response: { 200: UpdateTodoResult },
      },
      config: {
        access: { todo: "params.id", action: "write", also: ["body.listId", "body.parentId"] },
        scopes: ["todos:write"],
      },
    },
    async (request, reply) =>
      withEtag(
        reply,
        await replaceTodo(db, writeTarget(request.grants), request.body, parseIfMatch(request.headers["if-match"])),
      ),
  );

  app.delete(
    "/:id",
    {
      schema: {
        operationId: "deleteTodo",
        tags,
        summary: "Delete a todo",
        params: TodoParams,
        headers: IfMatchHeaders,
      },
      config: { access: { todo: "params.id", action: "write" }, scopes: ["todos:write"] },
    },
    async (request, reply) => {
      await deleteTodo(db, request.grants.todo!.ownerId, request.params.id, parseIfMatch(request.headers["if-match"]));
      return reply.code(204).send();
    },
  );
};
