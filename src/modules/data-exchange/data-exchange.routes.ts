// The CSV routes, mounted by the HTTP server (src/app/server.ts) with the executable schema and the
// request context every GraphQL request gets: POST /import/<entity> (text/csv body) and GET /export/<entity>.csv.
// `admission` is the GraphQL endpoint's cost limit and rate limit, so these routes are no way around them.
import express, { type Request } from "express";
import type { GraphQLSchema } from "graphql";
import type { RequestContext } from "../../graphql/context.js";
import type { OperationAdmission } from "../../graphql/rate-limit.js";
import { exportRoute } from "./csv-export.js";
import { importRoute } from "./csv-import.js";

export interface ExchangeLimits {
  /** IMPORT_MAX_BYTES: the largest CSV upload */
  importMaxBytes: number;
}

export function dataExchangeRoutes(
  schema: GraphQLSchema,
  contextOf: (req: Request) => Promise<RequestContext>,
  admission: OperationAdmission,
  unexpected: (error: unknown) => void,
  limits: ExchangeLimits,
): express.Router {
  const router = express.Router();
  router.post("/import/:entity", importRoute(schema, contextOf, admission, unexpected, limits.importMaxBytes));
  router.get("/export/:file", exportRoute(schema, contextOf, admission, unexpected));
  return router;
}
