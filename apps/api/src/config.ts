import { z } from "zod";

const seconds = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const EnvSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    API_PORT: z.coerce.number().int().min(0).max(65535).default(4000),
    HOST: z.string().min(1).default("127.0.0.1"),
    DATA_DIR: z.string().min(1).default("./data"),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL")
      .optional(),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
    REDIS_URL: z
      .string()
      .regex(/^rediss?:\/\//, "must be a redis:// URL")
      .optional(),
    AUTH_ACCESS_TTL: seconds(600),
    AUTH_REFRESH_TTL: seconds(30 * 24 * 3600),
    /** Absolute lifetime of a session, however often it is refreshed. */
    AUTH_SESSION_MAX_AGE: seconds(90 * 24 * 3600),
    AUTH_REFRESH_REUSE_GRACE: z.coerce.number().int().min(0).default(10),
    AUTH_RATE_LIMIT: z.enum(["on", "off"]).default("on"),
    AUTH_KEY_SECRET: z
      .string()
      .refine((value) => Buffer.from(value, "base64").length >= 32, "must be at least 32 random bytes, base64-encoded")
      .optional(),
    AUTH_ISSUER: z.string().min(1).default("taskvault"),
    AUTH_AUDIENCE: z.string().min(1).default("taskvault-api"),
    /** Simultaneous Argon2 computations; the rest wait in a bounded queue. */
    AUTH_HASH_CONCURRENCY: z.coerce.number().int().min(1).max(64).optional(),
    TRUST_PROXY: z.string().optional(),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === "production" && !env.AUTH_KEY_SECRET) {
      ctx.addIssue({
        code: "custom",
        path: ["AUTH_KEY_SECRET"],
        message:
          "is required with NODE_ENV=production (generate one with: node -e \"console.log(require('crypto').randomBytes(32).toString('base64'))\")",
      });
    }
  });

export type Config = z.infer<typeof EnvSchema>;

export class ConfigError extends Error {}

/** Parses the environment once at start-up; a bad value names its variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ""));
  const result = EnvSchema.safeParse(present);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  return result.data;
}
