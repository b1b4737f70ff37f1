// Starts the application: database, migrations, demo data, key ring, HTTP server; and its graceful stop.
import "reflect-metadata";
import { prepareDatabase } from "./bootstrap.js";
import type { Logger } from "./logger.js";
import { createServer, type AppServer } from "./server.js";
import { resolveKeyRing } from "../auth/installation-key.js";
import type { Config } from "../config/config.js";
import { openDatabase, type Database } from "../db/client.js";
import { databaseTargetFromConfig } from "../db/database-from-config.js";

export interface RunningApp {
  server: AppServer;
  database: Database;
  port: number;
  /** Stops accepting connections, lets in-flight requests finish, then closes the database. */
  shutdown(reason: string): Promise<void>;
}

export async function startApp(config: Config, logger: Logger, options: { today?: Date } = {}): Promise<RunningApp> {
  if (config.SEED_DEMO === "always") {
    logger.warn(
      { NODE_ENV: config.NODE_ENV },
      "SEED_DEMO=always: an empty database gets the demo company and its demo accounts (password: demo), even in production",
    );
  }
  const target = databaseTargetFromConfig(config, { readReplicas: true });
  logger.info(
    { database: target.kind === "embedded" ? `embedded (${target.dataDir})` : "postgresql server", readReplicas: config.replicaUrls.length },
    "opening database",
  );
  const database = await openDatabase(target);
  let server: AppServer;
  try {
    await prepareDatabase(database, { seedDemo: config.seedDemo, logger, today: options.today });
    // The key ring is known only now: without JWT_KEYS the key is kept with the data.
    const { keyRing, generatedKeyLocation } = await resolveKeyRing(config, database);
    if (generatedKeyLocation) {
      logger.warn(
        { keyLocation: generatedKeyLocation },
        "JWT_KEYS is not set: tokens are signed with this installation's generated key; they survive restarts but no other installation accepts them (production requires JWT_KEYS)",
      );
    }
    server = await createServer({ config, database, logger, keyRing });
  } catch (error) {
    await database.close();
    throw error;
  }
  const port = await server.listen(config.PORT);
  logger.info({ port }, `GraphQL API ready at http://localhost:${port}/graphql`);

  let stopped: Promise<void> | null = null;
  const shutdown = (reason: string) => {
    stopped ??= (async () => {
      logger.info({ reason }, "shutting down: finishing in-flight requests");
      await server.stop();
      await database.close();
      logger.info("stopped");
    })();
    return stopped;
  };
  return { server, database, port, shutdown };
}
