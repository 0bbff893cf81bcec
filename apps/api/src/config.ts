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
    /** Seconds start-up waits for PostgreSQL to answer before exiting non-zero (README: "Start-up"). */
    DATABASE_STARTUP_WAIT: z.coerce.number().int().min(0).max(3600).default(60),
    REDIS_URL: z
      .string()
      .regex(/^rediss?:\/\//, "must be a redis:// URL")
      .optional(),
    /** Prefixes every Redis key and channel, so several deployments (or test runs) can share one Redis. */
    REDIS_KEY_PREFIX: z.string().min(1).max(100).default("taskvault:"),
    AUTH_ACCESS_TTL: seconds(600),
    AUTH_REFRESH_TTL: seconds(30 * 24 * 3600),
    /** Absolute lifetime of a session, however often it is refreshed. */
    AUTH_SESSION_MAX_AGE: seconds(90 * 24 * 3600),
    AUTH_REFRESH_REUSE_GRACE: z.coerce.number().int().min(0).default(10),
    AUTH_RATE_LIMIT: z.enum(["on", "off"]).default("on"),
    /** Sign-in attempts per client IP per minute, successful or not. */
    AUTH_SIGNIN_IP_LIMIT: z.coerce.number().int().positive().default(30),
    /** Sign-ups per client IP per hour. */
    AUTH_SIGNUP_IP_LIMIT: z.coerce.number().int().positive().default(30),
    /** Refreshes per client IP per minute. */
    AUTH_REFRESH_IP_LIMIT: z.coerce.number().int().positive().default(120),
    /** Longest wait, in seconds, that failed sign-ins can impose on one account (the owner included). */
    AUTH_SIGNIN_ACCOUNT_MAX_DELAY: seconds(30),
    /** Longest wait, in seconds, that failed sign-ins impose on one client IP. */
    AUTH_SIGNIN_IP_MAX_DELAY: seconds(300),
    /** Days a security event is kept. */
    AUTH_EVENTS_RETENTION_DAYS: z.coerce.number().int().positive().default(90),
    AUTH_KEY_SECRET: z
      .string()
      .refine((value) => Buffer.from(value, "base64").length >= 32, "must be at least 32 random bytes, base64-encoded")
      .optional(),
    /** The web app's port: only for PUBLIC_URL's default. */
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    /**
     * The address people open the web app at. Its host is the passkey relying party id and it is
     * the origin passkey ceremonies must come from (WebAuthn L3 §7.1 steps 9 and 13); every link in
     * an email is built from it. Default http://localhost:$PORT.
     */
    PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
    AUTH_ISSUER: z.string().min(1).default("taskvault"),
    AUTH_AUDIENCE: z.string().min(1).default("taskvault-api"),
    /** Simultaneous Argon2 computations; the rest wait in a bounded queue. */
    AUTH_HASH_CONCURRENCY: z.coerce.number().int().min(1).max(64).optional(),
    TRUST_PROXY: z.string().optional(),
    /** Days a change-log entry is kept; a client further behind does a full sync (410 gone). */
    CHANGES_RETENTION_DAYS: z.coerce.number().int().positive().default(30),
    /** Open event streams (GET /api/v1/events) one user may hold on one instance. */
    STREAMS_PER_USER: z.coerce.number().int().positive().default(10),
    /** Open event streams one instance holds at most, all users together. */
    STREAMS_PER_INSTANCE: z.coerce.number().int().positive().default(5000),
    /** Seconds between heartbeat comments on an idle event stream (proxies drop silent connections). */
    STREAM_HEARTBEAT_SECONDS: z.coerce.number().positive().default(15),
    /** Seconds a stream may stay unable to write (the client does not read) before it is ended. */
    STREAM_STALL_SECONDS: z.coerce.number().positive().default(30),
    /** Mean event-loop delay, in ms, beyond which requests are answered 503 with Retry-After (0 = never). */
    API_MAX_EVENT_LOOP_DELAY: z.coerce.number().int().min(0).default(1000),
    /** smtp://user:pass@host:587 (STARTTLS when offered) or smtps://user:pass@host:465; unset: no SMTP. */
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\//, "must be an smtp:// or smtps:// URL")
      .optional(),
    MAIL_FROM: z.string().min(3).default("Taskvault <taskvault@localhost>"),
    /** Seconds between two looks at the outbox for due messages and reminders (docs/decisions/019). */
    MAIL_POLL_SECONDS: z.coerce.number().positive().default(2),
    /** The first retry of a refused message waits this long; each further one twice as long (capped at an hour). */
    MAIL_RETRY_BASE_SECONDS: z.coerce.number().positive().default(30),
    /** Longest wait for an SMTP server's answer at each step (connect, greeting, each command). */
    MAIL_SEND_TIMEOUT_SECONDS: z.coerce.number().positive().default(30),
    /** How long a message is retried before it is marked failed. */
    MAIL_RETRY_HOURS: z.coerce.number().positive().default(24),
    /** `closed`: no one can sign up (POST /auth/signup answers 403 signup_closed). */
    AUTH_SIGNUP: z.enum(["open", "closed"]).default("open"),
    /** `true`: an account whose email is not verified can do little more than verify it (403 email_unverified). */
    AUTH_REQUIRE_VERIFIED_EMAIL: z
      .enum(["true", "false"])
      .default("false")
      .transform((value) => value === "true"),
    /** Reset-link requests per client IP per hour. */
    AUTH_FORGOT_IP_LIMIT: z.coerce.number().int().positive().default(30),
    /** Reset-link requests per email address per hour (counted the same whether an account exists or not). */
    AUTH_FORGOT_ADDRESS_LIMIT: z.coerce.number().int().positive().default(5),
    /** Seconds an account waits between two requests for a fresh verification link. */
    AUTH_VERIFICATION_RESEND_SECONDS: z.coerce.number().int().positive().default(60),
    /**
     * Single sign-on with one OpenID Connect provider (auth/oidc.ts): its issuer URL (discovery
     * reads ISSUER/.well-known/openid-configuration) and this client's registration there. All of
     * ISSUER, CLIENT_ID and CLIENT_SECRET, or none; the redirect URI is PUBLIC_URL/auth/oidc/callback.
     */
    OIDC_ISSUER: z.url({ protocol: /^https?$/ }).optional(),
    OIDC_CLIENT_ID: z.string().min(1).optional(),
    OIDC_CLIENT_SECRET: z.string().min(1).optional(),
    /** The provider's name on the sign-in button ("Sign in with <OIDC_NAME>") and in the session list. */
    OIDC_NAME: z.string().trim().min(1).max(60).default("SSO"),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  })
  .superRefine((env, ctx) => {
    const oidc = [env.OIDC_ISSUER, env.OIDC_CLIENT_ID, env.OIDC_CLIENT_SECRET];
    if (oidc.some(Boolean) && !oidc.every(Boolean)) {
      for (const name of ["OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET"] as const) {
        if (!env[name]) ctx.addIssue({ code: "custom", path: [name], message: "is required when any OIDC_* is set" });
      }
    }
    // An identity provider over plain HTTP hands out who anyone is to whoever sits on the wire.
    const issuer = env.OIDC_ISSUER ? new URL(env.OIDC_ISSUER) : null;
    if (env.NODE_ENV === "production" && issuer?.protocol === "http:" && !isLoopback(issuer.hostname)) {
      ctx.addIssue({ code: "custom", path: ["OIDC_ISSUER"], message: "must be https:// with NODE_ENV=production" });
    }
    if (env.NODE_ENV === "production" && !env.AUTH_KEY_SECRET) {
      ctx.addIssue({
        code: "custom",
        path: ["AUTH_KEY_SECRET"],
        message:
          "is required with NODE_ENV=production (generate one with: node -e \"console.log(require('crypto').randomBytes(32).toString('base64'))\")",
      });
    }
  })
  .transform((env) => ({ ...env, PUBLIC_URL: (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, "") }));

function isLoopback(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" || hostname.startsWith("127.");
}

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
