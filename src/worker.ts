// `npm run worker`: the webhook delivery loop alone, without serving HTTP (several may run beside the API
// instances, which then set WEBHOOK_WORKER=off). Same configuration as the server; docs/webhooks.md.
import "reflect-metadata";
import { prepareDatabase } from "./app/bootstrap.js";
import { createLogger } from "./app/logger.js";
import { createServer } from "./app/server.js";
import { resolveKeyRing } from "./auth/installation-key.js";
import { ConfigError, loadConfig } from "./config/config.js";
import { openDatabase } from "./db/client.js";
import { databaseTargetFromConfig } from "./db/database-from-config.js";

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const database = await openDatabase(databaseTargetFromConfig(config));
  // never seeds: an API instance decides that; migrations are applied (idempotent, lock-protected)
  await prepareDatabase(database, { seedDemo: false, logger });
  const { keyRing } = await resolveKeyRing(config, database);
  // the server's own composition (schema, read policy, owners' contexts), with its loop started and no listener
  const server = await createServer({ config, database, logger, keyRing });
  server.startWebhookWorker();
  logger.info({ pollMs: config.WEBHOOK_POLL_MS }, "webhook worker running");
  const onSignal = (signal: string) => {
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    logger.info({ reason: signal }, "webhook worker stopping");
    server
      .stop()
      .then(() => database.close())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, "shutdown failed");
          process.exit(1);
        },
      );
  };
  process.on("SIGTERM", () => onSignal("SIGTERM"));
  process.on("SIGINT", () => onSignal("SIGINT"));
  // the loop's timer does not hold the process: this does, until a signal
  setInterval(() => undefined, 1 << 30);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : `Start-up failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
