import { setFlagsFromString } from "node:v8";
import { buildApp } from "./app.ts";
import { ConfigError, loadConfig } from "./config.ts";
import { waitForPostgres } from "./db/client.ts";

const SHUTDOWN_GRACE_MS = 10_000;

async function main() {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  if (config.DATABASE_URL) {
    await waitForPostgres(config.DATABASE_URL, {
      timeoutMs: config.DATABASE_STARTUP_WAIT * 1000,
      onWait: (message) => console.error(message),
    });
  }
  const app = await buildApp({ config, logger: true });
  await app.listen({ port: config.API_PORT, host: config.HOST });
  // Under load nearly everything a request allocates dies young, yet V8 lets the old generation grow
  // to several times its live size before marking it, which inflated the resident memory of a busy
  // server. A smaller growth step keeps memory near the live size; the marking is incremental and
  // concurrent, so throughput stayed within the noise (figures: decision 008). Set once started, because
  // start-up (above all the embedded database's) allocates fast and would mark over and over; V8
  // reads the flag at every GC.
  setFlagsFromString("--heap-growing-percent=50");
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : config.API_PORT;
  app.log.info(
    { database: config.DATABASE_URL ? "postgres" : "embedded" },
    `Taskvault API listening on http://${config.HOST}:${port}`,
  );

  // Stop accepting, let in-flight requests finish, then close the database, so an embedded
  // database is never cut off mid-write.
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, "shutting down");
    const force = setTimeout(() => {
      app.log.error("shutdown took too long; exiting");
      process.exit(1);
    }, SHUTDOWN_GRACE_MS);
    force.unref();
    app.close().then(
      () => process.exit(0),
      (error) => {
        app.log.error({ err: error }, "error while shutting down");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

main().catch((error) => {
  console.error("Taskvault API failed to start:", error instanceof Error ? error.message : error);
  process.exit(1);
});
