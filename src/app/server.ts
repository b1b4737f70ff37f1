// The HTTP server: GraphQL at /graphql, CSV import and export (/import, /export), liveness at /health,
// readiness at /ready, the API explorer (EXPLORER).
import { randomUUID } from "node:crypto";
import http from "node:http";
import { ApolloServer, type ApolloServerPlugin } from "@apollo/server";
import { expressMiddleware } from "@as-integrations/express5";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { unwrapResolverError } from "@apollo/server/errors";
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import express, { type ErrorRequestHandler, type Request } from "express";
import { GraphQLError, type GraphQLFormattedError } from "graphql";
import { Authenticator } from "../auth/authenticate.js";
import type { JwtSettings } from "../auth/jwt.js";
import type { Viewer } from "../auth/viewer.js";
import { RequestScope } from "../auth/scope/request-scope.js";
import type { Config, JwtKeyRing } from "../config/config.js";
import type { Database } from "../db/client.js";
import { isConnectionFailure } from "../db/connection-failure.js";
import { countStatements, currentStatementLog, statementShape, type StatementLog } from "../db/statement-counter.js";
import { RequestLoaders, startOfUtcDay, type AuthedContext, type RequestContext } from "../graphql/context.js";
import { columnCuts, createWebhookWorker, TrashPurger, type PassResult, type PurgeResult } from "../modules/index.js";
import { ErrorCode } from "../errors/api-errors.js";
import { createFormatError } from "../graphql/errors.js";
import { MoneyScalar } from "../graphql/scalars.js";
import { inputGuardPlugin } from "../graphql/input-guard.js";
import { createRecentWriters, NO_REPLICA_WRITERS, readRoutingPlugin, writerOf } from "../graphql/read-routing.js";
import { costLimitPlugin, describeTokenLimit, introspectionPolicyPlugin, limitRules, nestingLimitError, operationTimeout } from "../graphql/limits.js";
import { responsePolicyPlugin } from "../graphql/response-policy.js";
import { CLIENT_IP_HEADER, createLimiterStore, createRateLimiter, operationAdmission, rateLimitPlugin } from "../graphql/rate-limit.js";
import { createLoginThrottle } from "../graphql/login-throttle.js";
import { dummyPasswordHash } from "../auth/passwords.js";
import { explorerRoutes } from "./explorer.js";
import { httpSecurity } from "./http-security.js";
import type { Logger } from "./logger.js";
import { createMetrics } from "./metrics.js";
import { checkReadiness } from "./readiness.js";
import { currentTraceId } from "./telemetry.js";
import { jitGateway } from "./jit-executor.js";
import { buildAppSchema } from "./schema.js";
import { serveSubscriptions } from "./subscriptions.js";
import { createChangeSignal } from "../graphql/change-signal.js";
import { ConfigurationCache } from "../db/configuration-cache.js";
import { dataExchangeRoutes } from "../modules/data-exchange/data-exchange.routes.js";

export interface ServerOptions {
  config: Config;
  database: Database;
  logger: Logger;
  /** the signing keys: JWT_KEYS or the installation's generated key (src/auth/installation-key.ts) */
  keyRing: JwtKeyRing;
  /** the clock every request reads its "now" from (tests move it) */
  clock?: () => Date;
}

export interface AppServer {
  app: express.Express;
  httpServer: http.Server;
  listen(port: number): Promise<number>;
  /** One webhook worker pass now: enqueue new changes, send what is due (tests; the loop calls it too). */
  runWebhookPass(): Promise<PassResult>;
  /** One purge of the recycle bin now, at the clock's now (tests; the loop calls it too). */
  runTrashPurge(): Promise<PurgeResult>;
  /** Starts the webhook loop (and the recycle bin's purge beside it) when WEBHOOK_WORKER=off left them stopped (`npm run worker`). */
  startWebhookWorker(): void;
  stop(): Promise<void>;
}

/** With tracing on, an error names its trace (`extensions.traceId`): what a client reports leads to the spans. */
function withTraceId(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const traceId = currentTraceId();
  return traceId ? { ...formatted, extensions: { ...formatted.extensions, traceId } } : formatted;
}

/** A failure of the database connection itself (not an error our code raised on purpose). */
function isDatabaseDown(error: unknown): boolean {
  const original = unwrapResolverError(error);
  return !(original instanceof GraphQLError) && isConnectionFailure(original);
}

function jwtSettings(config: Config, keyRing: JwtKeyRing): JwtSettings {
  return {
    keyRing,
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    userTokenTtlSeconds: config.USER_TOKEN_TTL_SECONDS,
  };
}

/** Puts the number of SQL statements a request sent in a response header (tests and the benchmark read it). */
const statementCountHeader: ApolloServerPlugin<RequestContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ response }) {
        const log = currentStatementLog();
        if (log) response.http.headers.set("x-sql-statements", String(log.count));
        // only when a test asked for statement texts (recordStatementText): their shapes, never their values
        if (log?.statements.length) response.http.headers.set("x-sql-statement-shapes", JSON.stringify(log.statements.map(statementShape)));
      },
    };
  },
};

export async function createServer(options: ServerOptions): Promise<AppServer> {
  const { config, database, logger } = options;
  const clock = options.clock ?? (() => new Date());
  const jwt = jwtSettings(config, options.keyRing);
  const authenticator = new Authenticator(database.prisma, jwt, config.TOKEN_STATE_CACHE_MS, clock);
  const { schema, readPolicy } = await buildAppSchema();

  const app = express();
  app.disable("x-powered-by");
  const httpServer = http.createServer(app);

  const warn = (details: Record<string, unknown>, message: string) => logger.warn(details, message);
  // one store (memory, or one Redis connection) for the rate limits and the login throttle
  const limiterStore = createLimiterStore(config.REDIS_URL, warn);
  const rateLimiter = createRateLimiter(
    {
      points: config.RATE_LIMIT_POINTS,
      windowSeconds: config.RATE_LIMIT_WINDOW_SECONDS,
      redisUrl: config.REDIS_URL,
      keyPrefix: config.RATE_LIMIT_KEY_PREFIX,
    },
    warn,
    limiterStore,
  );
  const loginThrottle = createLoginThrottle(
    {
      maxAccountFailures: config.LOGIN_MAX_FAILURES,
      maxIpFailures: config.LOGIN_IP_MAX_FAILURES,
      windowSeconds: config.LOGIN_FAILURE_WINDOW_SECONDS,
      blockSeconds: config.LOGIN_BLOCK_SECONDS,
      maxBlockSeconds: config.LOGIN_MAX_BLOCK_SECONDS,
      keyPrefix: config.RATE_LIMIT_KEY_PREFIX,
    },
    limiterStore,
    warn,
  );
  // news of committed changes for the change-feed subscriptions (Redis pub/sub across instances)
  const changeSignal = createChangeSignal(config.REDIS_URL, config.RATE_LIMIT_KEY_PREFIX, warn);
  const replicas = database.replicas;
  const recentWriters = replicas
    ? createRecentWriters(config.REPLICA_MAX_LAG_MS, limiterStore.redis, config.RATE_LIMIT_KEY_PREFIX, warn)
    : NO_REPLICA_WRITERS;
  // computed now, so that the first login with an unknown e-mail costs no more than any other
  void dummyPasswordHash();
  const formatError = createFormatError((error) => logger.error({ err: error }, "unexpected error"));

  const configuration = new ConfigurationCache(config.CONFIGURATION_CACHE_MS);
  /** The context of one request (or of a webhook owner's feed read) by a viewer, at the clock's now. */
  const contextFor = (viewer: Viewer | null, requestId: string, clientIp: string): RequestContext => {
    const now = clock();
    const today = startOfUtcDay(now);
    const ctx: RequestContext = {
      requestId,
      viewer,
      scope: viewer ? new RequestScope(viewer, today) : null,
      db: database.prisma,
      noteWrite: () => recentWriters.note(writerOf(ctx)),
      now,
      today,
      loaders: new RequestLoaders(() => ctx),
      readPolicy,
      columnCuts,
      jwt,
      clientIp,
      loginThrottle,
      forgetTokenState: () => authenticator.forget(),
      configuration,
      changeFeed: { retentionDays: config.CHANGES_RETENTION_DAYS },
      trash: { retentionDays: config.TRASH_RETENTION_DAYS },
      webhookAddresses: { production: config.NODE_ENV === "production", allowedHosts: config.webhookAllowedHosts },
    };
    return ctx;
  };

  const webhooks = createWebhookWorker({
    db: database.prisma,
    clock,
    contextOf: (viewer) => contextFor(viewer, `webhook-${randomUUID()}`, "webhook-worker") as AuthedContext,
    viewerOf: (owner) => authenticator.viewerOf(owner),
    feed: { retentionDays: config.CHANGES_RETENTION_DAYS },
    addresses: { production: config.NODE_ENV === "production", allowedHosts: config.webhookAllowedHosts },
    onError: (error, message) => logger.error({ err: error }, message),
  });
  // the recycle bin's purge runs where the webhook loop runs (the background work of an installation)
  const purger = new TrashPurger({
    db: database.prisma,
    clock,
    retentionDays: config.TRASH_RETENTION_DAYS,
    onError: (error, message) => logger.error({ err: error }, message),
  });
  let webhookLoopStarted = false;
  const startWebhookWorker = () => {
    if (webhookLoopStarted) return;
    webhookLoopStarted = true;
    // woken by the change notices (every instance's commits, through Redis when set), so a delivery
    // leaves within a pass of its commit rather than a poll interval
    void changeSignal.listening();
    let heard = changeSignal.heard();
    webhooks.start(config.WEBHOOK_POLL_MS, async (timeoutMs, halted) => (heard = await changeSignal.next(heard, timeoutMs, halted)));
    purger.start(config.TRASH_PURGE_INTERVAL_MS);
  };
  if (config.WEBHOOK_WORKER === "on") startWebhookWorker();
  const metrics = createMetrics(() => database.poolUse(), {
    webhookQueueDepth: () => webhooks.queueDepth(),
    ...(replicas && { readStatements: () => replicas.readStatements() }),
  });

  const formatForClient = (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError =>
    withTraceId(
      isDatabaseDown(error)
        ? { message: "The database is unavailable; retry shortly", path: formatted.path, extensions: { code: ErrorCode.SERVICE_UNAVAILABLE } }
        : formatError(describeTokenLimit(formatted, config.MAX_TOKENS), error),
    );
  const validationRules = limitRules({
    maxDepth: config.MAX_QUERY_DEPTH,
    maxAliases: config.MAX_ALIASES,
    maxDirectives: config.MAX_DIRECTIVES,
    maxCost: config.MAX_QUERY_COST,
  });
  /**
   * A committed mutation tells the change-feed subscribers (on every instance) to read their feeds; a
   * subscription sent over HTTP is told where subscriptions are served.
   */
  const liveFeed: ApolloServerPlugin<RequestContext> = {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation }) {
          if (operation?.operation === "subscription") {
            throw new GraphQLError("Subscriptions are served over WebSocket at /graphql (the graphql-transport-ws protocol)", { extensions: { code: "BAD_REQUEST", http: { status: 400 } } });
          }
        },
        async willSendResponse({ operation }) {
          if (operation?.operation === "mutation") changeSignal.notify();
        },
      };
    },
  };

  const apollo = new ApolloServer<RequestContext>({
    gateway: jitGateway(schema, new Set([MoneyScalar.name])),
    // Apollo's defaults follow the validated configuration, not whatever process.env holds
    nodeEnv: config.NODE_ENV,
    // main.ts owns SIGTERM/SIGINT (drain, then close the database). Apollo's handlers raced it: the drain
    // took its whole 10 s grace period and main's shutdown never finished (the process just ran dry).
    stopOnTerminationSignals: false,
    introspection: true,
    includeStacktraceInErrorResponses: false,
    validationRules,
    parseOptions: { maxTokens: config.MAX_TOKENS },
    formatError: formatForClient,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      // We send no cache hints; the default cache-control plugin still wraps every field (13–21 % of CPU).
      ApolloServerPluginCacheControlDisabled(),
      // Apollo's landing page loads Sandbox from Apollo's CDN; browsers get our own explorer, or no page at all.
      ApolloServerPluginLandingPageDisabled(),
      costLimitPlugin(() => schema, config.MAX_QUERY_COST),
      rateLimitPlugin<RequestContext>(rateLimiter, () => schema, config.MAX_QUERY_COST),
      introspectionPolicyPlugin<RequestContext>(),
      inputGuardPlugin(),
      responsePolicyPlugin<RequestContext>(),
      statementCountHeader,
      metrics.plugin,
      liveFeed,
      ...(replicas ? [readRoutingPlugin(() => replicas.reader(), recentWriters)] : []),
    ],
  });
  await apollo.start();

  app.use((req, res, next) => {
    const requestId = (typeof req.headers["x-request-id"] === "string" && req.headers["x-request-id"].slice(0, 64)) || randomUUID();
    res.setHeader("x-request-id", requestId);
    (req as Request & { requestId: string }).requestId = requestId;
    const started = process.hrtime.bigint();
    res.on("finish", () => {
      logger.info(
        { requestId, method: req.method, path: req.originalUrl.split("?")[0], status: res.statusCode, ms: Number(process.hrtime.bigint() - started) / 1e6 },
        "request",
      );
    });
    next();
  });

  app.use(httpSecurity(config.cors));

  app.get("/health", (_req, res) => {
    res.json({ status: "ok" });
  });

  app.get("/ready", async (_req, res) => {
    const readiness = await checkReadiness(database);
    res.status(readiness.ready ? 200 : 503).json(readiness);
  });

  // EXPLORER: GraphiQL at /explorer and at GET /graphql for browsers (before Apollo sees the request)
  if (config.explorer) app.use(explorerRoutes({ db: database.prisma, production: config.NODE_ENV === "production", endpoint: "/graphql" }));
  // Without METRICS_TOKEN: open outside production (local scrapes), absent in production (404).
  if (config.METRICS_TOKEN || config.NODE_ENV !== "production") app.get("/metrics", metrics.handler(config.METRICS_TOKEN ?? null));

  /** The context of a request: GraphQL's, and the CSV routes' (which run the same operations). */
  const contextOf = async (req: Request): Promise<RequestContext> => {
    const viewer = await authenticator.authenticate(req.headers.authorization);
    return contextFor(viewer, (req as Request & { requestId: string }).requestId, req.ip ?? req.socket.remoteAddress ?? "unknown");
  };
  const graphqlHandler = expressMiddleware(apollo, { context: ({ req }) => contextOf(req) });

  const admission = operationAdmission(rateLimiter, () => schema, config.MAX_QUERY_COST, (refusal) => metrics.countErrors([refusal]));
  // CSV import and export: streamed, through the same schema, rules and row scope as /graphql
  app.use("/import", (_req, res, next) => {
    res.on("finish", () => changeSignal.notify());
    next();
  });
  app.use(dataExchangeRoutes(schema, contextOf, admission, (error) => logger.error({ err: error }, "unexpected error in a CSV route"), { importMaxBytes: config.IMPORT_MAX_BYTES }));

  const subscriptions = serveSubscriptions({
    httpServer,
    schema,
    validationRules,
    maxTokens: config.MAX_TOKENS,
    maxMessageBytes: config.MAX_BODY_BYTES,
    pollMs: config.SUBSCRIPTION_POLL_MS,
    signal: changeSignal,
    authenticate: (authorization) => authenticator.authenticate(authorization),
    contextFor,
    admission,
    formatError: (error) => formatForClient(error.toJSON(), error),
  });

  app.use(
    "/graphql",
    operationTimeout(config.OPERATION_TIMEOUT_MS),
    express.json({ limit: config.MAX_BODY_BYTES }),
    (req, res, next) => {
      // One operation per POST: batching multiplies the cost and rate budgets past their checks.
      if (Array.isArray(req.body)) {
        const errors = [{ message: "Batched requests are not allowed: send at most 1 operation per request", extensions: { code: ErrorCode.QUERY_TOO_COMPLEX, limit: "batch", max: 1 } }];
        metrics.countErrors(errors);
        res.status(400).json({ errors });
        return;
      }
      // before Apollo parses: a deeply nested document or variables overflow the parser's stack
      const tooDeep = nestingLimitError(req.method === "GET" ? req.query : req.body, config.MAX_TOKENS);
      if (tooDeep) {
        metrics.countErrors([tooDeep]);
        return void res.status(400).json({ errors: [tooDeep] });
      }
      // the caller's address for the anonymous rate-limit budget (overwrites whatever a client sent)
      req.headers[CLIENT_IP_HEADER] = req.ip ?? req.socket.remoteAddress ?? "unknown";
      // Counting is a config choice (SQL_STATEMENT_COUNTING): its AsyncLocalStorage costs every promise.
      if (!config.countSqlStatements) return void graphqlHandler(req, res, next);
      const log: StatementLog = { count: 0, statements: [] };
      countStatements(log, () => graphqlHandler(req, res, next));
    },
  );

  const handleBodyErrors: ErrorRequestHandler = (error, _req, res, next) => {
    if (res.headersSent) return; // answered already (operation timeout)
    const status = (error as { status?: number }).status;
    if (status === 413) {
      const errors = [{ message: `Request body larger than ${config.MAX_BODY_BYTES} bytes`, extensions: { code: ErrorCode.QUERY_TOO_COMPLEX, limit: "body", max: config.MAX_BODY_BYTES } }];
      metrics.countErrors(errors);
      res.status(413).json({ errors });
    } else if (status === 400) {
      res.status(400).json({ errors: [{ message: "Request body is not valid JSON", extensions: { code: "BAD_REQUEST" } }] });
    } else {
      logger.error({ err: error }, "unhandled HTTP error");
      res.status(500).json({ errors: [{ message: "Internal server error", extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } }] });
    }
    void next;
  };
  app.use(handleBodyErrors);

  return {
    app,
    httpServer,
    listen: (port) =>
      new Promise((resolve, reject) => {
        httpServer.once("error", reject);
        httpServer.listen(port, () => {
          const address = httpServer.address();
          resolve(typeof address === "object" && address ? address.port : port);
        });
      }),
    runWebhookPass: () => webhooks.runPass(),
    runTrashPurge: () => purger.runPass(),
    startWebhookWorker,
    async stop() {
      // The listener closes first, whatever the webhook worker is waiting on: a pass blocked on the
      // database must not keep the server accepting connections.
      await Promise.all([subscriptions.close(), apollo.stop(), webhooks.stop(), purger.stop()]);
      await changeSignal.close();
      await rateLimiter.close();
      await limiterStore.close();
      if (httpServer.listening) await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}
