// The entry point: reads the configuration, starts tracing when asked (before the server's modules load,
// so that they are instrumented), starts the application and stops it gracefully on SIGTERM/SIGINT.
import { pathToFileURL } from "node:url";
import { createLogger } from "./app/logger.js";
import { ConfigError, loadConfig } from "./config/config.js";

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const tracing = config.OTEL_EXPORTER_OTLP_ENDPOINT
    ? (await import("./app/tracing.js")).startTracing({ endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT, serviceName: config.OTEL_SERVICE_NAME })
    : null;
  if (tracing) logger.info({ endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT }, "tracing: exporting spans over OTLP/HTTP");
  const { startApp } = await import("./app/start.js");
  const app = await startApp(config, logger);
  const onSignal = (signal: string) => {
    // a request stuck past this delay must not keep the process alive for ever
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    app
      .shutdown(signal)
      .then(() => tracing?.shutdown())
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
}

// Run only as the entry point (`node dist/src/main.js`, scripts/serve.mjs); tests import src/app/start.ts.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    if (error instanceof ConfigError) {
      console.error(error.message);
    } else {
      console.error("Start-up failed:", error instanceof Error ? error.message : error);
    }
    process.exit(1);
  });
}
