import pino, { type Logger } from "pino";

export type { Logger };

/** Structured JSON logs; secrets never reach them (authorization headers and passwords are redacted). */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: "fieldsales-crm-api" },
    redact: { paths: ["req.headers.authorization", "*.password", "*.token", "variables.password"], censor: "[redacted]" },
  });
}
