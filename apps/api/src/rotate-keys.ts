// npm run keys:rotate – adds a signing key; older public keys stay published until their tokens expire
import { deriveSecrets, resolveKeySecret } from "./auth/secrets.ts";
import { rotateSigningKey } from "./auth/signing-keys.ts";
import { ConfigError, loadConfig } from "./config.ts";
import { openDatabase } from "./db/client.ts";
import { migrate } from "./db/migrate.ts";

try {
  const config = loadConfig();
  const database = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR, poolSize: 1 });
  try {
    await migrate(database.db);
    const secrets = deriveSecrets(resolveKeySecret({ secret: config.AUTH_KEY_SECRET, dataDir: config.DATA_DIR }));
    const kid = await rotateSigningKey(database.db, secrets.keyEncryptionKey);
    console.log(`New signing key ${kid} is active. Running instances pick it up within a minute;`);
    console.log("tokens signed by the previous key keep verifying until they expire.");
  } finally {
    await database.close();
  }
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : `Key rotation failed: ${(error as Error).message}`);
  process.exitCode = 1;
}
