// Reads the configuration, prepares the database, serves, and shuts down gracefully.
import "reflect-metadata";
import { prepareDatabase } from "./app/bootstrap.js";
import { createLogger } from "./app/logger.js";
import { createServer } from "./app/server.js";
import { ConfigError, loadConfig } from "./config/config.js";
import { openDatabase } from "./db/client.js";
import { databaseTargetFromConfig } from "./db/database-from-config.js";

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  if (config.usesDevelopmentKey) logger.warn("JWT_KEYS is not set: using the development signing key (refused in production)");
  const target = databaseTargetFromConfig(config);
  logger.info({ database: target.kind === "embedded" ? `embedded (${target.dataDir})` : "postgresql server" }, "opening database");
  const database = await openDatabase(target);
  await prepareDatabase(database, { seedDemo: config.SEED_DEMO === "auto", logger });
  const server = await createServer({ config, database, logger });
  const port = await server.listen(config.PORT);
  logger.info({ port }, `GraphQL API ready at http://localhost:${port}/graphql`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down: finishing in-flight requests");
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    await server.stop();
    await database.close();
    logger.info("stopped");
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error("Start-up failed:", error instanceof Error ? error.message : error);
  }
  process.exit(1);
});
