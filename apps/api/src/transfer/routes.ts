// /api/v1/export and /api/v1/import – everything a user owns, out as one document and back in
import { ExportDocument, IMPORT_BODY_LIMIT, ImportResult } from "@taskvault/contract/import-export";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { exportData } from "./export.ts";
import { importData } from "./import.ts";

const tags = ["import/export"];

// Checked in full by the import itself, which reports every problem by field path (todos.3.title).
const ImportBody = z
  .union([z.string(), z.record(z.string(), z.unknown())])
  .describe("An export document (application/json), or a Todoist CSV export (text/csv)");

export const transferRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app;
  // Only here: the Todoist import is CSV; every other endpoint stays JSON-only.
  app.addContentTypeParser(
    ["text/csv", "application/csv"],
    { parseAs: "string", bodyLimit: IMPORT_BODY_LIMIT },
    (_request, body, done) => done(null, body),
  );

  app.get(
    "/export",
    {
      config: { scopes: ["todos:read", "lists:read"] },
      schema: {
        operationId: "exportData",
        tags,
        summary: "Everything the user owns (profile, lists, todos) as one JSON document",
        description: "Format: docs/export-format.md (`format: taskvault-export`, `version: 1`).",
        response: { 200: ExportDocument },
      },
    },
    async (request, reply) => {
      const date = new Date().toISOString().slice(0, 10);
      reply.header("content-disposition", `attachment; filename="taskvault-export-${date}.json"`);
      return exportData(db, request.caller.userId);
    },
  );

  app.post(
    "/import",
    {
      bodyLimit: IMPORT_BODY_LIMIT,
      config: { scopes: ["todos:write", "lists:write"] },
      schema: {
        operationId: "importData",
        tags,
        summary: "Import an export document or a Todoist CSV: all or nothing, new ids (body limit 1 MiB)",
        description:
          "`application/json`: a document as `GET /api/v1/export` gives it (docs/export-format.md); its profile " +
          "name and time zone are applied. `text/csv`: a Todoist project export (TYPE, CONTENT, DESCRIPTION, " +
          "PRIORITY, INDENT, …, DATE, TIMEZONE): sections become lists, notes are added to the task's description, " +
          "PRIORITY 1 (Todoist's p1) → high, 2 → medium, 3 → low, 4 → none, `@labels` → tags, INDENT → subtasks. " +
          "The whole input is checked before anything is written (422 lists every problem); then it is written " +
          "in one transaction. Lists whose name the user already has are merged into that list. " +
          "Bodies up to 1 MiB (other endpoints: 64 KiB). `imported` is the number of todos created.",
        body: ImportBody,
        response: { 200: ImportResult },
      },
    },
    (request) => importData(db, request.caller.userId, request.body),
  );
};
