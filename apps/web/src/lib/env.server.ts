import "server-only";
import { z } from "zod";
import { resolveApiUrl } from "../../server/api-url.mjs";

// The only module that reads process.env: parsed once, and a bad value stops the server with its name.
const Env = z.object({
  API_URL: z.url().optional(),
  API_PORT: z.coerce.number().int().min(1).max(65535).default(4000),
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
});

function loadEnv() {
  const parsed = Env.safeParse(process.env);
  if (!parsed.success) {
    const names = parsed.error.issues.map((issue) => issue.path.join(".")).join(", ");
    throw new Error(`Invalid environment variable(s): ${names}`);
  }
  const { API_URL, API_PORT, NODE_ENV } = parsed.data;
  return {
    apiUrl: resolveApiUrl({ API_URL, API_PORT }),
    isDevelopment: NODE_ENV === "development",
  };
}

export const env = loadEnv();
