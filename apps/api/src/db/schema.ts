import { sql } from "drizzle-orm";
import {
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";

// Millisecond precision everywhere: values round-trip exactly through JavaScript Dates,
// which keyset cursors depend on.
const instant = (name: string) => timestamp(name, { withTimezone: true, precision: 3, mode: "date" });

// Every user-owned table leads its primary key and indexes with user_id, and every query
// filters by it, so the data can later be distributed by user (see docs/decisions/003).

export const users = pgTable("users", {
  id: uuid("id").primaryKey(),
  /** Stored trimmed and lower-cased: the unique index makes sign-up case-insensitive. */
  email: text("email").notNull().unique("users_email_key"),
  name: text("name").notNull().default(""),
  passwordHash: text("password_hash").notNull(),
  createdAt: instant("created_at").notNull(),
  updatedAt: instant("updated_at").notNull(),
});

export const sessions = pgTable(
  "sessions",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    id: uuid("id").notNull(),
    createdAt: instant("created_at").notNull(),
    lastUsedAt: instant("last_used_at").notNull(),
    /** Absolute end of the session, however often it is refreshed. */
    expiresAt: instant("expires_at").notNull(),
    userAgent: text("user_agent"),
    ip: text("ip"),
    revokedAt: instant("revoked_at"),
    revokeReason: text("revoke_reason"),
  },
  (table) => [primaryKey({ columns: [table.userId, table.id] })],
);

/** One row per refresh token ever issued; a session's rows form its rotation chain. */
export const refreshTokens = pgTable(
  "refresh_tokens",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** SHA-256 of the token, base64url; the token itself is never stored. */
    tokenHash: text("token_hash").notNull(),
    sessionId: uuid("session_id").notNull(),
    createdAt: instant("created_at").notNull(),
    expiresAt: instant("expires_at").notNull(),
    spentAt: instant("spent_at"),
  },
  (table) => [
    primaryKey({ columns: [table.userId, table.tokenHash] }),
    index("refresh_tokens_session_idx").on(table.userId, table.sessionId),
  ],
);

/**
 * Sessions whose access tokens must be refused before they expire. Rows live only as long as an
 * access token of the session could (purged after expires_at), so the set every instance keeps
 * in memory stays small.
 */
export const revokedSessions = pgTable(
  "revoked_sessions",
  {
    userId: uuid("user_id").notNull(),
    sessionId: uuid("session_id").notNull(),
    revokedAt: instant("revoked_at").notNull(),
    expiresAt: instant("expires_at").notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.userId, table.sessionId] }),
    index("revoked_sessions_expires_idx").on(table.expiresAt),
  ],
);

export const signingKeys = pgTable("signing_keys", {
  kid: text("kid").primaryKey(),
  alg: text("alg").notNull(),
  publicJwk: jsonb("public_jwk").notNull(),
  /** The private JWK, AES-256-GCM encrypted with a key derived from AUTH_KEY_SECRET. */
  privateJwkEncrypted: text("private_jwk_encrypted").notNull(),
  createdAt: instant("created_at").notNull(),
  /** Set when a newer key takes over signing; the public key stays published for a while. */
  retiredAt: instant("retired_at"),
});

export const todos = pgTable(
  "todos",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    id: uuid("id").notNull(),
    title: text("title").notNull(),
    description: text("description").notNull().default(""),
    completed: boolean("completed").notNull().default(false),
    completedAt: instant("completed_at"),
    dueAt: instant("due_at"),
    /** 0 none, 1 low, 2 medium, 3 high: sortable. */
    priority: smallint("priority").notNull().default(0),
    tags: text("tags").array().notNull().default(sql`'{}'::text[]`),
    position: doublePrecision("position").notNull(),
    createdAt: instant("created_at").notNull(),
    updatedAt: instant("updated_at").notNull(),
    version: integer("version").notNull().default(1),
  },
  (table) => [
    primaryKey({ columns: [table.userId, table.id] }),
    index("todos_position_idx").on(table.userId, table.position, table.id),
    index("todos_created_idx").on(table.userId, table.createdAt, table.id),
    index("todos_due_idx").on(table.userId, sql`coalesce(${table.dueAt}, 'infinity'::timestamptz)`, table.id),
    index("todos_priority_idx").on(table.userId, table.priority, table.id),
  ],
);

export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    /** SHA-256 of the request body, so a reused key with another body is refused. */
    requestHash: text("request_hash").notNull(),
    status: integer("status").notNull(),
    body: jsonb("body").notNull(),
    location: text("location"),
    createdAt: instant("created_at").notNull(),
  },
  (table) => [primaryKey({ columns: [table.userId, table.key] })],
);
