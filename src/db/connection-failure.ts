// Whether a database error means the server is away (as opposed to a bad query).
/** SQLSTATEs of a server that is away or refusing sessions (class 08, shutdown, too many connections…). */
const UNAVAILABLE_SQLSTATE = /^(08|57P0[1-3]|53300|3D000)/;
const UNAVAILABLE_TEXT =
  /\b(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|DatabaseNotReachable)\b|Connection terminated|timeout exceeded when trying to connect|terminating connection|not currently accepting connections|the database system is (starting up|shutting down)|Can't reach database|Client has encountered a connection error/;

/**
 * Whether an error means "the database cannot be reached now" (as opposed to a bad query): the API then
 * answers SERVICE_UNAVAILABLE. Looks through Prisma's and the driver adapter's wrappers.
 */
export function isConnectionFailure(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== "object" || depth > 4) return false;
  const e = error as { code?: unknown; originalCode?: unknown; message?: unknown; cause?: unknown; meta?: { driverAdapterError?: unknown } };
  for (const code of [e.code, e.originalCode]) if (typeof code === "string" && UNAVAILABLE_SQLSTATE.test(code)) return true;
  if (typeof e.message === "string" && UNAVAILABLE_TEXT.test(e.message)) return true;
  if (e.code === "55000" && typeof e.message === "string" && /accepting connections/.test(e.message)) return true;
  return isConnectionFailure(e.cause, depth + 1) || isConnectionFailure(e.meta?.driverAdapterError, depth + 1);
}
