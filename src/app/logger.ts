import pino, { type DestinationStream, type Logger } from "pino";

export type { Logger };

/**
 * Structured JSON logs, one object a line, with the request id on request lines. Secrets never reach them:
 * authorization headers, passwords and tokens are redacted wherever they appear as fields.
 * `destination` lets tests read what would be written.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service: "fieldsales-crm-api" },
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
