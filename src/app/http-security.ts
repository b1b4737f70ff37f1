// Browser-facing HTTP policy: CORS for the configured origins (no credentials: the API takes bearer tokens,
// never cookies) and security headers (helmet) fit for a JSON API.
import cors from "cors";
import type { RequestHandler } from "express";
import helmet from "helmet";
import type { CorsPolicy } from "../config/config.js";
import { ErrorCode } from "../errors/api-errors.js";

const LOCAL_ORIGIN = /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?$/;

export const corsAllows = (policy: CorsPolicy, origin: string): boolean =>
  policy.origins.includes(origin) || (policy.localhost && LOCAL_ORIGIN.test(origin));

/** Request headers a browser client sends (preflight); response headers it may read. */
const ALLOWED_HEADERS = ["authorization", "content-type", "x-request-id", "apollo-require-preflight"];
const EXPOSED_HEADERS = ["retry-after", "x-request-id"];

export function httpSecurity(policy: CorsPolicy): RequestHandler[] {
  const corsHandler = cors({
    origin: (origin, callback) => callback(null, origin !== undefined && corsAllows(policy, origin)),
    methods: ["GET", "POST", "OPTIONS"],
    allowedHeaders: ALLOWED_HEADERS,
    exposedHeaders: EXPOSED_HEADERS,
    credentials: false,
    maxAge: 600,
    optionsSuccessStatus: 204,
  });
  // JSON answers: nothing to load, nothing may frame them. The explorer page sets its own CSP (explorer.ts).
  const jsonHeaders = helmet({ contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } } });

  const refusedPreflight: RequestHandler = (req, res, next) => {
    if (req.method !== "OPTIONS") return next();
    // cors() answered the allowed preflights; what is left is a refused origin or a plain OPTIONS
    if (req.headers.origin) {
      res.status(403).json({ errors: [{ message: `Origin ${req.headers.origin} is not allowed (CORS_ORIGINS)`, extensions: { code: ErrorCode.FORBIDDEN } }] });
      return;
    }
    res.setHeader("allow", "GET, POST, OPTIONS");
    res.status(204).end();
  };

  return [jsonHeaders, corsHandler, refusedPreflight];
}
