import fastJson from "fast-json-stringify";
import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import { z } from "zod";

type JsonSchema = Record<string, unknown>;

/**
 * Responses are serialized by fast-json-stringify from JSON Schema derived from the contract's
 * zod schemas: faster than validating each response with zod, and properties not in the schema
 * are never sent. Formats and patterns only matter for validation, so they are dropped, and
 * `anyOf [X, null]` becomes a type list, which fast-json-stringify handles without trial runs.
 */
export function simplify(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(simplify);
  if (!schema || typeof schema !== "object") return schema;
  const { $schema: _, ...rest } = schema as JsonSchema;
  // Only the keywords: a property that happens to be called "format" or "pattern" (an object,
  // the schema of that property) must stay.
  if (typeof rest.pattern === "string") delete rest.pattern;
  if (typeof rest.format === "string") delete rest.format;
  const anyOf = rest.anyOf as JsonSchema[] | undefined;
  if (anyOf?.length === 2 && anyOf.some((option) => option.type === "null")) {
    const other = anyOf.find((option) => option.type !== "null") as JsonSchema;
    if (typeof other.type === "string") {
      const { anyOf: ____, ...withoutAnyOf } = rest;
      // A nullable enum keeps null among its values (a union branch is checked against them).
      const values = Array.isArray(other.enum) ? { enum: [...other.enum, null] } : {};
      return simplify({ ...withoutAnyOf, ...other, ...values, type: [other.type, "null"] });
    }
  }
  return Object.fromEntries(Object.entries(rest).map(([key, value]) => [key, simplify(value)]));
}

export const serializerPlugin = fp(async (app: FastifyInstance) => {
  app.setSerializerCompiler(({ schema }) => {
    const jsonSchema = simplify(z.toJSONSchema(schema as z.ZodType, { io: "output", unrepresentable: "any" }));
    return fastJson(jsonSchema as Parameters<typeof fastJson>[0]);
  });
});
