import Fastify, { type FastifyInstance } from "fastify";
import { validatorCompiler } from "fastify-type-provider-zod";
import { createAccessTokens } from "./auth/access-tokens.ts";
import { accountComposers } from "./auth/account-mail.ts";
import { apiTokenRoutes } from "./auth/api-token-routes.ts";
import { createApiTokenVerifier } from "./auth/api-tokens.ts";
import type { AuthContext } from "./auth/context.ts";
import { startAuthEventPurge } from "./auth/events.ts";
import { meRoutes } from "./auth/me-routes.ts";
import { mfaRoutes } from "./auth/mfa-routes.ts";
import { createOidcClient } from "./auth/oidc.ts";
import { oidcMeRoutes, oidcRoutes } from "./auth/oidc-routes.ts";
import { relyingParty } from "./auth/passkeys.ts";
import { createPasswordHasher } from "./auth/passwords.ts";
import { createRevocationList } from "./auth/revocation.ts";
import { startRevocationBroadcast } from "./auth/revocation-broadcast.ts";
import { authRoutes } from "./auth/routes.ts";
import { deriveSecrets, resolveKeySecret } from "./auth/secrets.ts";
import { createKeyStore } from "./auth/signing-keys.ts";
import { startChangeCompaction } from "./changes/changes.ts";
import { pollIntervalFor, publishWritesOnResponse, startChangeHub } from "./changes/hub.ts";
import { changeRoutes } from "./changes/routes.ts";
import type { Config } from "./config.ts";
import { type Database, type DatabaseHandle, openDatabase } from "./db/client.ts";
import { migrate } from "./db/migrate.ts";
import { listRoutes } from "./lists/routes.ts";
import { reminderComposer } from "./mail/reminders.ts";
import { startMailSender } from "./mail/sender.ts";
import { createMailTransport } from "./mail/transport.ts";
import { opsRoutes } from "./ops/routes.ts";
import { authenticatePlugin, protectRoutes } from "./plugins/authenticate.ts";
import { errorsPlugin, frameworkErrors } from "./plugins/errors.ts";
import { openapiPlugin } from "./plugins/openapi.ts";
import { protectionPlugin } from "./plugins/protection.ts";
import { rateLimitPlugin } from "./plugins/rate-limit.ts";
import { redisPlugin } from "./plugins/redis.ts";
import { serializerPlugin } from "./plugins/serializer.ts";
import { enforceAccess } from "./sharing/access.ts";
import { invitationRoutes, listSharingRoutes } from "./sharing/routes.ts";
import { invitationComposer } from "./sharing/sharing.ts";
import { todoRoutes } from "./todos/routes.ts";
import { transferRoutes } from "./transfer/routes.ts";

declare module "fastify" {
  interface FastifyInstance {
    /** The database every route reaches through (PGlite or PostgreSQL, decision 001). */
    db: Database;
  }
}

export const BODY_LIMIT = 64 * 1024;
/** A client must finish sending its headers this soon (slowloris); the whole request has requestTimeout. */
const HEADERS_TIMEOUT_MS = 15_000;

/** Never logged: credentials in headers and bodies. Fastify does not log bodies, the rest is belt and braces. */
const REDACT = [
  "req.headers.authorization",
  "req.headers.cookie",
  'res.headers["set-cookie"]',
  "*.password",
  "*.currentPassword",
  "*.newPassword",
  "*.refreshToken",
  "*.accessToken",
];

export interface AppOptions {
  config: Config;
  /** An already open database (tests); otherwise one is opened from the config and closed with the app. */
  database?: DatabaseHandle;
  /** Pino logger options, or false for none. */
  logger?: boolean | Record<string, unknown>;
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { config } = options;
  // The embedded database reports a failure of its files once; until the app's logger exists, stderr hears it.
  let reportDatabaseFailure = (message: string): void => {
    process.stderr.write(`${message}\n`);
  };
  const database =
    options.database ??
    (await openDatabase({
      url: config.DATABASE_URL,
      dataDir: config.DATA_DIR,
      poolSize: config.DATABASE_POOL_SIZE,
      onFailure: (message) => reportDatabaseFailure(message),
    }));
  await database.withoutDeadline(() => migrate(database.db));

  const logger =
    options.logger === false
      ? false
      : { level: config.LOG_LEVEL, redact: REDACT, ...(options.logger === true ? {} : options.logger) };
  const app = Fastify({
    logger,
    bodyLimit: BODY_LIMIT,
    trustProxy: config.TRUST_PROXY ? config.TRUST_PROXY.split(",").map((entry) => entry.trim()) : false,
    requestIdHeader: "x-request-id",
    genReqId: () => crypto.randomUUID(),
    requestTimeout: 30_000,
    connectionTimeout: 60_000,
    keepAliveTimeout: 72_000,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    frameworkErrors,
  });
  app.server.headersTimeout = HEADERS_TIMEOUT_MS;
  reportDatabaseFailure = (message) => app.log.error(message);

  app.decorate("db", database.db);

  const secrets = deriveSecrets(
    resolveKeySecret({ secret: config.AUTH_KEY_SECRET, dataDir: config.DATA_DIR, log: (msg) => app.log.warn(msg) }),
  );
  const keys = await createKeyStore({
    db: database.db,
    keyEncryptionKey: secrets.keyEncryptionKey,
    retainRetiredForMs: (config.AUTH_ACCESS_TTL + 120) * 1000,
  });
  const revocations = await createRevocationList(database.db, config.AUTH_ACCESS_TTL);
  const auth: AuthContext = {
    db: database.db,
    passwords: createPasswordHasher(config.AUTH_HASH_CONCURRENCY),
    keys,
    accessTokens: createAccessTokens({
      keys,
      issuer: config.AUTH_ISSUER,
      audience: config.AUTH_AUDIENCE,
      ttlSeconds: config.AUTH_ACCESS_TTL,
    }),
    revocations,
    // A cached token must not outlive its entry in the revoked set (access-token lifetime + skew).
    apiTokens: createApiTokenVerifier({
      db: database.db,
      revocations,
      cacheTtlMs: Math.min(60_000, config.AUTH_ACCESS_TTL * 1000),
      onFlushError: (error) => app.log.warn({ err: error }, "could not record API token uses"),
    }),
    refreshDerivationKey: secrets.refreshDerivationKey,
    keyEncryptionKey: secrets.keyEncryptionKey,
    recoveryCodeKey: secrets.recoveryCodeKey,
    relyingParty: relyingParty(config),
    oidc: createOidcClient(config, (message, error) => app.log.warn({ err: error }, message)),
    config,
  };

  // Uses waiting to be written are written while the database is still open.
  app.addHook("preClose", () => auth.apiTokens.close());
  app.addHook("onClose", async () => {
    keys.close();
    revocations.close();
    await auth.passwords.close();
    if (!options.database) await database.close();
  });
  app.addHook("onSend", async (request, reply) => {
    reply.header("x-request-id", request.id);
  });

  // Only JSON bodies: text/plain and friends are 415, not silently parsed.
  app.removeAllContentTypeParsers();
  const parseStrictJson = app.getDefaultJsonParser("error", "error");
  // An empty body with a JSON content type (common from generic clients on bodiless POSTs) is
  // "no body": routes without a body schema accept it, routes with one answer 422.
  const parseJson: typeof parseStrictJson = (request, body, done) =>
    body === "" || body === undefined ? done(null, undefined) : parseStrictJson(request, body, done);
  app.addContentTypeParser("application/json", { parseAs: "string", bodyLimit: BODY_LIMIT }, parseJson);
  app.addContentTypeParser(/^application\/[\w.-]+\+json$/, { parseAs: "string", bodyLimit: BODY_LIMIT }, parseJson);

  app.setValidatorCompiler(validatorCompiler);
  await app.register(errorsPlugin);
  await app.register(protectionPlugin, { maxEventLoopDelay: config.API_MAX_EVENT_LOOP_DELAY });
  await app.register(redisPlugin, { url: config.REDIS_URL });
  if (app.redis) {
    const broadcast = await startRevocationBroadcast({
      redis: app.redis,
      channel: `${config.REDIS_KEY_PREFIX}revocations`,
      revocations,
      log: app.log,
    });
    app.addHook("onClose", () => broadcast.close());
  }
  const eventPurge = startAuthEventPurge(database.db, config.AUTH_EVENTS_RETENTION_DAYS, app.log);
  app.addHook("onClose", async () => eventPurge.close());
  // Live updates: streams end before the server closes (else close would wait for them forever).
  const changeHub = await startChangeHub({
    db: database.db,
    redis: app.redis,
    channel: `${config.REDIS_KEY_PREFIX}changes`,
    pollMs: pollIntervalFor(database.kind, app.redis),
    revocations,
    perUser: config.STREAMS_PER_USER,
    perInstance: config.STREAMS_PER_INSTANCE,
    log: app.log,
  });
  app.decorate("changeHub", changeHub);
  app.addHook("preClose", () => changeHub.close());
  publishWritesOnResponse(app, changeHub);
  startMail(app, config, database.db);
  const compaction = startChangeCompaction(database.db, config.CHANGES_RETENTION_DAYS, app.log);
  app.addHook("onClose", async () => compaction.close());
  await app.register(rateLimitPlugin, { config });
  await app.register(serializerPlugin);
  await app.register(authenticatePlugin, { auth });
  await app.register(openapiPlugin);

  // Every route of ours needs a session's access token unless it is declared public.
  await app.register(async (api) => {
    protectRoutes(api, { requireVerifiedEmail: config.AUTH_REQUIRE_VERIFIED_EMAIL });
    enforceAccess(api, database.db, (userId) => changeHub.publish(userId));
    await api.register(opsRoutes, { ping: database.ping });
    await api.register(authRoutes, { prefix: "/api/v1/auth", signup: config.AUTH_SIGNUP });
    await api.register(meRoutes, { prefix: "/api/v1/me" });
    await api.register(mfaRoutes, { prefix: "/api/v1/me" });
    await api.register(apiTokenRoutes, { prefix: "/api/v1/me" });
    await api.register(oidcRoutes, { prefix: "/api/v1/auth/oidc", signup: config.AUTH_SIGNUP });
    await api.register(oidcMeRoutes, { prefix: "/api/v1/me" });
    await api.register(todoRoutes, { prefix: "/api/v1/todos" });
    await api.register(listRoutes, { prefix: "/api/v1/lists" });
    await api.register(listSharingRoutes, { prefix: "/api/v1/lists" });
    await api.register(invitationRoutes, { prefix: "/api/v1/invitations" });
    await api.register(transferRoutes, { prefix: "/api/v1" });
    await api.register(changeRoutes, {
      prefix: "/api/v1",
      hub: changeHub,
      revocations,
      heartbeatMs: config.STREAM_HEARTBEAT_SECONDS * 1000,
      stallMs: config.STREAM_STALL_SECONDS * 1000,
    });
  });
  return app;
}

/**
 * The outbox sender (docs/decisions/019-mail-outbox.md), on every instance. Production without
 * SMTP_URL keeps messages in the outbox, says so once and logs nothing about them.
 */
function startMail(app: FastifyInstance, config: Config, db: Database): void {
  const transport = createMailTransport(config);
  if (!transport) {
    app.log.warn(
      "SMTP_URL is not set: no email is sent (verification, password reset, notices, reminders wait in the outbox)",
    );
    return;
  }
  const context = { publicUrl: config.PUBLIC_URL };
  const sender = startMailSender({
    db,
    transport,
    composers: {
      ...accountComposers(db, context),
      reminder: reminderComposer(db, context),
      list_invitation: invitationComposer(context),
    },
    pollMs: config.MAIL_POLL_SECONDS * 1000,
    retryBaseMs: config.MAIL_RETRY_BASE_SECONDS * 1000,
    retryForMs: config.MAIL_RETRY_HOURS * 3600 * 1000,
    sendTimeoutMs: config.MAIL_SEND_TIMEOUT_SECONDS * 1000,
    log: app.log,
  });
  // Before the database closes: a round in progress finishes its sends and marks them.
  app.addHook("preClose", () => sender.close());
}
