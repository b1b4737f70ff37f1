import pino, { type DestinationStream, type Logger } from "pino";
import { currentTraceId } from "./telemetry.js";

export type { Logger };

/**
 * Structured JSON logs, one object a line, with the request id on request lines and, when tracing is on,
 * the trace id of the span active where the line was written (`traceId`). Secrets never reach them:
 * authorization headers, passwords and tokens are redacted wherever they appear as fields.
 * `destination` lets tests read what would be written.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service: "fieldsales-crm-api" },
    mixin: () => {
      const traceId = currentTraceId();
      return traceId ? { traceId } : {};
    },
    redact: {
      paths: [
        "req.headers.authorization",
        "headers.authorization",
        "authorization",
        "password",
        "token",
        "*.password",
        "*.token",
        "*.authorization",
        "variables.password",
        "variables.*.password",
      ],
      censor: "[redacted]",
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
