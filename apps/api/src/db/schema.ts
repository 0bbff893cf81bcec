import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  customType,
  doublePrecision,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { parseInstant } from "./instant.ts";

// Millisecond precision everywhere: values round-trip exactly through JavaScript Dates,
// which keyset cursors depend on. Read with parseInstant: drizzle's own timestamp column hands
// PostgreSQL's text to `new Date()`, which reads the year 0001 as 2001.
const instant = customType<{ data: Date; driverData: string }>({
  dataType: () => "timestamp (3) with time zone",
  toDriver: (value) => value.toISOString(),
  fromDriver: (value) => (typeof value === "string" ? parseInstant(value) : value),
});

// Every user-owned table leads its primary key and indexes with user_id, and every query
// filters by it, so the data can later be distributed by user (see docs/decisions/003).

export const users = pgTable("users", {
  id: uuid("id").primaryKey(),
  /** Stored trimmed and lower-cased: the unique index makes sign-up case-insensitive. */
  email: text("email").notNull().unique("users_email_key"),
  name: text("name").notNull().default(""),
  /** Null for an account made by single sign-on that never set a password. */
  passwordHash: text("password_hash"),
  createdAt: instant("created_at").notNull(),
  updatedAt: instant("updated_at").notNull(),
  /** IANA zone new todos take when they name none. */
  timezone: text("timezone").notNull().default("UTC"),
  /** When the address was last proven to reach the user (a verification link, a reset, a confirmed change). */
  emailVerifiedAt: instant("email_verified_at"),
  /** The user's choice: each todo's remindAt also sends an email. */
  emailReminders: boolean("email_reminders").notNull().default(false),
});

/**
 * Single-use tokens sent by email: verification, password reset, confirmation of a new address.
 * Only the SHA-256 of a token is stored; the token itself exists in the message alone.
 */
export const emailTokens = pgTable(
  "email_tokens",
  {
    tokenHash: text("token_hash").primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** verify_email, reset_password or change_email. */
    purpose: text("purpose").notNull(),
    /** The address a change_email token moves the account to. */
    newEmail: text("new_email"),
    createdAt: instant("created_at").notNull(),
    expiresAt: instant("expires_at").notNull(),
  },
  (table) => [index("email_tokens_user_idx").on(table.userId, table.purpose)],
);

/**
 * The mail outbox (docs/decisions/019-mail-outbox.md): a row is written in the transaction of the
 * action that causes the message, and the sender on every instance claims due rows, sends them and
 * marks them. A message is composed when it is sent (its link's token is minted then), so no
 * secret sits in this table.
 */
export const mailOutbox = pgTable(
  "mail_outbox",
  {
    id: uuid("id").primaryKey(),
    /** The message: a composer in mail/messages.ts. */
    kind: text("kind").notNull(),
    /** The account the message is about; its current address when `recipient` is null. */
    userId: uuid("user_id"),
    recipient: text("recipient"),
    data: jsonb("data").notNull().default({}),
    /** Makes enqueueing idempotent (a reminder is enqueued once per todo and remindAt). */
    dedupeKey: text("dedupe_key").unique("mail_outbox_dedupe_key"),
    /** pending, sent, skipped (nothing to send any more) or failed (gave up). */
    status: text("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    /** When a pending message is next due; a claim moves it forward by the lease, so a crashed sender's claim runs out. */
    nextAttemptAt: instant("next_attempt_at").notNull(),
    lastError: text("last_error"),
    createdAt: instant("created_at").notNull(),
    sentAt: instant("sent_at"),
  },
  (table) => [
    index("mail_outbox_due_idx").on(table.nextAttemptAt).where(sql`${table.status} = 'pending'`),
    index("mail_outbox_user_idx").on(table.userId, table.kind, table.createdAt),
  ],
);

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
    /**
     * The session was opened (or later confirmed) with a second factor. A session without it
     * cannot be refreshed once the account has one (auth/sign-in.ts, decision 023).
     */
    secondFactor: boolean("second_factor").notNull().default(false),
    /** The single sign-on's name (OIDC_NAME) when the session was opened through it; else null. */
    via: text("via"),
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

export const lists = pgTable(
  "lists",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    id: uuid("id").notNull(),
    name: text("name").notNull(),
    color: text("color"),
    position: doublePrecision("position").notNull(),
    createdAt: instant("created_at").notNull(),
    updatedAt: instant("updated_at").notNull(),
    version: integer("version").notNull().default(1),
  },
  (table) => [
    primaryKey({ columns: [table.userId, table.id] }),
    // Names are unique per user regardless of case: the index decides races, the loser gets a 409.
    uniqueIndex("lists_name_key").on(table.userId, sql`lower(${table.name})`),
    index("lists_position_idx").on(table.userId, table.position, table.id),
  ],
);

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
    /** null is the Inbox. */
    listId: uuid("list_id"),
    parentId: uuid("parent_id"),
    /** RFC 5545 RRULE value, e.g. FREQ=WEEKLY;BYDAY=MO. */
    recurrence: text("recurrence"),
    /** "due" or "completion". */
    recurFrom: text("recur_from").notNull().default("due"),
    remindAt: instant("remind_at"),
    timezone: text("timezone").notNull().default("UTC"),
    /**
     * The instance that completing this recurring todo created. Set in the same transaction as
     * the completion, under the row lock, so the next instance is created exactly once.
     */
    nextId: uuid("next_id"),
    /** Who created it (a member, in a shared list); null for rows from before sharing: the owner. */
    createdBy: uuid("created_by"),
    /** A member of its list (or its owner) it is assigned to; cleared when they leave the list. */
    assigneeId: uuid("assignee_id"),
    /** Who last set `remindAt`: the reminder goes to the assignee, else to them (null: the owner). */
    reminderBy: uuid("reminder_by"),
  },
  (table) => [
    primaryKey({ columns: [table.userId, table.id] }),
    // Composite keys keep a todo's list and parent within its own user's data.
    foreignKey({
      name: "todos_list_fk",
      columns: [table.userId, table.listId],
      foreignColumns: [lists.userId, lists.id],
    }),
    // Deleting a parent deletes its subtasks.
    foreignKey({
      name: "todos_parent_fk",
      columns: [table.userId, table.parentId],
      foreignColumns: [table.userId, table.id],
    }).onDelete("cascade"),
    // A list's rows in page order (decision 026): a member's first page reads each shared list's
    // keys from it in order, index-only, and stops at a page; `?listId=` reads the list's rows.
    index("todos_list_position_idx").on(table.userId, table.listId, table.position, table.id),
    index("todos_parent_idx").on(table.userId, table.parentId),
    index("todos_position_idx").on(table.userId, table.position, table.id),
    index("todos_created_idx").on(table.userId, table.createdAt, table.id),
    index("todos_due_idx").on(table.userId, sql`coalesce(${table.dueAt}, 'infinity'::timestamptz)`, table.id),
    index("todos_priority_idx").on(table.userId, table.priority, table.id),
    // The reminder scan (mail/reminders.ts) reads only the few todos whose reminder is near.
    index("todos_remind_idx").on(table.remindAt).where(sql`${table.remindAt} is not null and not ${table.completed}`),
    // GET /todos?assignee=me: the few assigned todos of each owner whose lists the caller sees.
    index("todos_assignee_idx").on(table.userId, table.assigneeId).where(sql`${table.assigneeId} is not null`),
  ],
);

/**
 * The members of a shared list other than its owner (docs/decisions/026-shared-lists.md). Rows lead
 * with the list's owner, like the list and its todos, so a list's audience is read on the owner's
 * shard; `list_members_member_idx` is the reverse index a member's request starts from (which
 * lists, of which owners, may I see).
 */
export const listMembers = pgTable(
  "list_members",
  {
    ownerId: uuid("owner_id").notNull(),
    listId: uuid("list_id").notNull(),
    memberId: uuid("member_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** "editor" or "viewer" (the owner has no row: the list's user_id is the owner). */
    role: text("role").notNull(),
    joinedAt: instant("joined_at").notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.ownerId, table.listId, table.memberId] }),
    foreignKey({
      name: "list_members_list_fk",
      columns: [table.ownerId, table.listId],
      foreignColumns: [lists.userId, lists.id],
    }).onDelete("cascade"),
    uniqueIndex("list_members_member_idx").on(table.memberId, table.listId, table.ownerId, table.role),
  ],
);

/**
 * Pending invitations to a list, owned by the list's owner. Token-less: the invitee is whoever is
 * signed in with `email` verified; `list_invitations_email_idx` finds them. Accepting or
 * declining deletes the row (single use); expired rows are ignored and swept.
 */
export const listInvitations = pgTable(
  "list_invitations",
  {
    ownerId: uuid("owner_id").notNull(),
    id: uuid("id").notNull(),
    listId: uuid("list_id").notNull(),
    email: text("email").notNull(),
    role: text("role").notNull(),
    createdAt: instant("created_at").notNull(),
    expiresAt: instant("expires_at").notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.ownerId, table.id] }),
    foreignKey({
      name: "list_invitations_list_fk",
      columns: [table.ownerId, table.listId],
      foreignColumns: [lists.userId, lists.id],
    }).onDelete("cascade"),
    // One pending invitation per list and address: inviting again renews it.
    uniqueIndex("list_invitations_list_email_key").on(table.ownerId, table.listId, table.email),
    index("list_invitations_email_idx").on(table.email, table.expiresAt),
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

/**
 * The security trail a user sees under /api/v1/me/events: sign-ins (failed ones too), refreshes,
 * detected refresh-token reuse, sign-outs, password changes. Purged after
 * AUTH_EVENTS_RETENTION_DAYS and deleted with the account (explicitly, in its transaction).
 */
export const authEvents = pgTable(
  "auth_events",
  {
    userId: uuid("user_id").notNull(),
    /** UUIDv7: ordered by time, so it is also the listing's keyset cursor. */
    id: uuid("id").notNull(),
    type: text("type").notNull(),
    sessionId: uuid("session_id"),
    ip: text("ip"),
    userAgent: text("user_agent"),
    createdAt: instant("created_at").notNull(),
  },
  (table) => [primaryKey({ columns: [table.userId, table.id] }), index("auth_events_created_idx").on(table.createdAt)],
);

/**
 * Each user's change-log position: `seq` is the last sequence number handed out, `compacted_through`
 * the highest one deleted by retention (a client behind it must do a full sync). Written only by
 * the sequencer (taskvault_sequence_changes, drizzle/0005_changes_after_commit.sql) and the
 * compaction job.
 */
export const changeSeqs = pgTable("change_seqs", {
  userId: uuid("user_id").primaryKey(),
  seq: bigint("seq", { mode: "number" }).notNull().default(0),
  compactedThrough: bigint("compacted_through", { mode: "number" }).notNull().default(0),
});

/**
 * The per-user change log behind GET /api/v1/changes and /events: one entry per written row of
 * todos and lists, recorded by triggers in the writer's transaction (docs/decisions/007) and
 * given its seq by the sequencer before anyone reads it (docs/decisions/018).
 * `data` is the row as jsonb (column names), null for a deletion (tombstone).
 */
export const changes = pgTable(
  "changes",
  {
    userId: uuid("user_id").notNull(),
    seq: bigint("seq", { mode: "number" }).notNull(),
    /** todo.upserted, todo.deleted, list.upserted, list.deleted */
    type: text("type").notNull(),
    entityId: uuid("entity_id").notNull(),
    data: jsonb("data"),
    createdAt: instant("created_at").notNull(),
  },
  (table) => [primaryKey({ columns: [table.userId, table.seq] }), index("changes_created_idx").on(table.createdAt)],
);

/**
 * Each user's inbox of changes not yet sequenced: appended by the change triggers in the writer's
 * transaction, moved into `changes` by taskvault_sequence_changes (docs/decisions/018).
 */
export const pendingChanges = pgTable(
  "pending_changes",
  {
    userId: uuid("user_id").notNull(),
    id: bigint("id", { mode: "number" }).generatedAlwaysAsIdentity(),
    type: text("type").notNull(),
    entityId: uuid("entity_id").notNull(),
    data: jsonb("data"),
    createdAt: instant("created_at").notNull().default(sql`now()`),
  },
  (table) => [primaryKey({ columns: [table.userId, table.id] })],
);

// Second factors and passkeys (decision 023).

/** One authenticator app per account; pending until a first code confirms it. */
export const totpFactors = pgTable("totp_factors", {
  userId: uuid("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  /** AES-256-GCM under the key-encryption key (auth/secrets.ts), bound to the user id. */
  secretEncrypted: text("secret_encrypted").notNull(),
  createdAt: instant("created_at").notNull(),
  confirmedAt: instant("confirmed_at"),
  /** The time step of the last accepted code: RFC 6238 §5.2, each code is accepted once. */
  lastUsedStep: bigint("last_used_step", { mode: "number" }),
});

export const recoveryCodes = pgTable(
  "recovery_codes",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** HMAC-SHA-256 of the normalized code under a server key; the code itself is never stored. */
    codeHash: text("code_hash").notNull(),
    createdAt: instant("created_at").notNull(),
    usedAt: instant("used_at"),
  },
  (table) => [primaryKey({ columns: [table.userId, table.codeHash] })],
);

export const passkeys = pgTable(
  "passkeys",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    id: uuid("id").notNull(),
    /** The WebAuthn credential id, base64url; unique across accounts (WebAuthn L3 §7.1 step 26). */
    credentialId: text("credential_id").notNull(),
    /** COSE public key, base64url. */
    publicKey: text("public_key").notNull(),
    /** Signature counter; 0 forever for authenticators (synced passkeys) that do not count. */
    counter: bigint("counter", { mode: "number" }).notNull(),
    transports: text("transports").array().notNull().default(sql`'{}'::text[]`),
    /** Backup eligible (BE flag): a multi-device credential. */
    backupEligible: boolean("backup_eligible").notNull(),
    /** Backup state (BS flag) as last seen: synced to a passkey provider. */
    backedUp: boolean("backed_up").notNull(),
    name: text("name").notNull(),
    createdAt: instant("created_at").notNull(),
    lastUsedAt: instant("last_used_at"),
  },
  (table) => [
    primaryKey({ columns: [table.userId, table.id] }),
    uniqueIndex("passkeys_credential_key").on(table.credentialId),
  ],
);

/** WebAuthn challenges: single use (deleted when presented), 5 minutes. */
export const webauthnChallenges = pgTable(
  "webauthn_challenges",
  {
    id: uuid("id").primaryKey(),
    challenge: text("challenge").notNull(),
    /** "registration" (user set) or "authentication" (anyone: passwordless or second factor). */
    purpose: text("purpose").notNull(),
    userId: uuid("user_id"),
    expiresAt: instant("expires_at").notNull(),
  },
  (table) => [
    uniqueIndex("webauthn_challenges_challenge_key").on(table.challenge),
    index("webauthn_challenges_expires_idx").on(table.expiresAt),
  ],
);

/** The pending second step of a password sign-in (the `mfaToken`). */
export const mfaChallenges = pgTable(
  "mfa_challenges",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** SHA-256 of the token; the token itself is never stored. */
    tokenHash: text("token_hash").notNull(),
    /** The client the password step came from: the token is refused from any other. */
    ip: text("ip"),
    userAgent: text("user_agent"),
    attempts: integer("attempts").notNull().default(0),
    expiresAt: instant("expires_at").notNull(),
    completedAt: instant("completed_at"),
    /** The single sign-on's name when the first step was one; the session it opens says so. */
    via: text("via"),
  },
  (table) => [
    primaryKey({ columns: [table.userId, table.tokenHash] }),
    index("mfa_challenges_expires_idx").on(table.expiresAt),
  ],
);

/**
 * API tokens for scripts (docs/decisions/024-api-tokens.md). Only the SHA-256 of a token is
 * stored; the token itself is shown once, in the answer that creates it. Looked up by hash only
 * when an instance has not verified the token in the last minute (auth/api-tokens.ts).
 */
export const apiTokens = pgTable(
  "api_tokens",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    id: uuid("id").notNull(),
    name: text("name").notNull(),
    scopes: text("scopes").array().notNull(),
    /** SHA-256 of the whole token, base64url. */
    tokenHash: text("token_hash").notNull(),
    createdAt: instant("created_at").notNull(),
    expiresAt: instant("expires_at").notNull(),
    /** Written at most once a minute per token, in batches, off the request path. */
    lastUsedAt: instant("last_used_at"),
    lastUsedIp: text("last_used_ip"),
  },
  (table) => [
    primaryKey({ columns: [table.userId, table.id] }),
    uniqueIndex("api_tokens_hash_key").on(table.tokenHash),
  ],
);

/**
 * An account's link to its identity at the OpenID provider (auth/oidc-accounts.ts). The provider
 * account is issuer + subject (OpenID Connect Core §5.7: the only stable identifier), never the
 * email; one link per provider and account, one account per provider account.
 */
export const oidcLinks = pgTable(
  "oidc_links",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    issuer: text("issuer").notNull(),
    subject: text("subject").notNull(),
    /** The provider's email for the person, as last seen (for the settings page only). */
    email: text("email"),
    createdAt: instant("created_at").notNull(),
    lastUsedAt: instant("last_used_at"),
  },
  (table) => [
    primaryKey({ columns: [table.userId, table.issuer] }),
    uniqueIndex("oidc_links_subject_key").on(table.issuer, table.subject),
  ],
);

/**
 * An authorization request in flight: `state` (its SHA-256 here), the `nonce`, the PKCE verifier
 * and the hash of the browser binding. Single use (deleted by the callback that spends it) and
 * 10 minutes. Before sign-in, so no user id to lead with.
 */
export const oidcFlows = pgTable(
  "oidc_flows",
  {
    stateHash: text("state_hash").primaryKey(),
    nonce: text("nonce").notNull(),
    codeVerifier: text("code_verifier").notNull(),
    bindingHash: text("binding_hash"),
    expiresAt: instant("expires_at").notNull(),
  },
  (table) => [index("oidc_flows_expires_idx").on(table.expiresAt)],
);

/**
 * A provider account waiting to be linked to the existing account that uses its email: made by a
 * refused callback, spent by POST /me/oidc/link from the same browser after a full sign-in to that
 * account. Single use, 10 minutes.
 */
export const oidcLinkTickets = pgTable(
  "oidc_link_tickets",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    ticketHash: text("ticket_hash").notNull(),
    issuer: text("issuer").notNull(),
    subject: text("subject").notNull(),
    email: text("email"),
    bindingHash: text("binding_hash"),
    createdAt: instant("created_at").notNull(),
    expiresAt: instant("expires_at").notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.userId, table.ticketHash] }),
    index("oidc_link_tickets_expires_idx").on(table.expiresAt),
  ],
);
