// GraphQL subscriptions over WebSocket at /graphql (graphql-ws, the graphql-transport-ws protocol). Browsers
// cannot set headers on a WebSocket, so the token comes in the connection_init payload
// ({ "authorization": "Bearer …" }); it is checked at connection and again before each event. A document
// meets the limits it would meet over HTTP (nesting, tokens, depth, aliases, directives, string inputs, cost
// and the caller's rate budget); only subscriptions are served here — queries and mutations go over HTTP.
import { randomUUID } from "node:crypto";
import type http from "node:http";
import { getOperationAST, GraphQLError, parse, specifiedRules, validate, type DocumentNode, type GraphQLFormattedError, type GraphQLSchema, type ValidationRule } from "graphql";
import type { Context } from "graphql-ws";
import { useServer } from "graphql-ws/use/ws";
import { WebSocketServer } from "ws";
import type { Viewer } from "../auth/viewer.js";
import type { ChangeSignal } from "../graphql/change-signal.js";
import type { RequestContext } from "../graphql/context.js";
import { inputRefusal } from "../graphql/input-guard.js";
import { nestingLimitError } from "../graphql/limits.js";
import type { OperationAdmission } from "../graphql/rate-limit.js";

export interface SubscriptionSettings {
  httpServer: http.Server;
  schema: GraphQLSchema;
  /** the limit rules Apollo validates with, besides graphql-js's own */
  validationRules: readonly ValidationRule[];
  maxTokens: number;
  maxMessageBytes: number;
  /** a subscriber looks again after this long even without news (changes written by other processes) */
  pollMs: number;
  signal: ChangeSignal;
  /** the principal of an `authorization` value; throws UNAUTHENTICATED for a bad or expired token */
  authenticate(authorization: string | undefined): Promise<Viewer | null>;
  contextFor(viewer: Viewer, requestId: string, clientIp: string): RequestContext;
  admission: OperationAdmission;
  /** what a client sees of an error: the one formatter of the HTTP path */
  formatError(error: GraphQLError): GraphQLFormattedError;
}

interface Connection {
  authorization: string;
  viewer: Viewer;
  clientIp: string;
  /** one per running subscription: aborted when it completes or the connection closes */
  running: Map<string, AbortController>;
}

type SocketContext = Context<Record<string, unknown> | undefined, unknown>;

/** Subscriptions one connection may run at once: each wakes on every notice and reads its feed. */
export const MAX_SUBSCRIPTIONS_PER_CONNECTION = 10;

const withCode = (error: GraphQLError, code: string) =>
  new GraphQLError(error.message, { nodes: error.nodes, source: error.source, positions: error.positions, extensions: { code, ...error.extensions } });

export function serveSubscriptions(settings: SubscriptionSettings): { close(): Promise<void> } {
  const { schema, signal } = settings;
  const rules = [...specifiedRules, ...settings.validationRules];
  const connections = new WeakMap<SocketContext, Connection>();
  const sockets = new WebSocketServer({ server: settings.httpServer, path: "/graphql", maxPayload: settings.maxMessageBytes });

  /** Parsed, validated, guarded and admitted — or the errors a client gets instead. */
  const admit = async (
    connection: Connection,
    query: string,
    variables: Record<string, unknown> | undefined,
    operationName: string | null | undefined,
  ): Promise<{ document: DocumentNode } | { errors: readonly GraphQLError[] }> => {
    const tooDeep = nestingLimitError({ query, variables }, settings.maxTokens);
    if (tooDeep) return { errors: [new GraphQLError(tooDeep.message, { extensions: tooDeep.extensions })] };
    let document: DocumentNode;
    try {
      document = parse(query, { maxTokens: settings.maxTokens });
    } catch (error) {
      return { errors: [withCode(error as GraphQLError, "GRAPHQL_PARSE_FAILED")] };
    }
    const invalid = validate(schema, document, rules);
    if (invalid.length) return { errors: invalid.map((error) => withCode(error, "GRAPHQL_VALIDATION_FAILED")) };
    if (getOperationAST(document, operationName)?.operation !== "subscription") {
      return { errors: [new GraphQLError("Only subscriptions are served over WebSocket: send queries and mutations to POST /graphql", { extensions: { code: "BAD_REQUEST" } })] };
    }
    const refusal = inputRefusal(document, variables);
    if (refusal) return { errors: [refusal] };
    try {
      await settings.admission(connection.viewer, connection.clientIp, document, variables ?? {});
    } catch (error) {
      if (error instanceof GraphQLError) return { errors: [error] };
      throw error;
    }
    return { document };
  };

  const server = useServer(
    {
      schema,
      async onConnect(ctx) {
        const authorization = ctx.connectionParams?.authorization;
        if (typeof authorization !== "string") return false;
        const viewer = await settings.authenticate(authorization).catch(() => null);
        if (!viewer) return false; // closes with 4403 Forbidden
        const request = (ctx.extra as { request: http.IncomingMessage }).request;
        connections.set(ctx, { authorization, viewer, clientIp: request.socket.remoteAddress ?? "unknown", running: new Map() });
        return true;
      },
      async onSubscribe(ctx, id, payload) {
        const connection = connections.get(ctx)!;
        if (connection.running.size >= MAX_SUBSCRIPTIONS_PER_CONNECTION) {
          return [
            new GraphQLError(`At most ${MAX_SUBSCRIPTIONS_PER_CONNECTION} subscriptions at once on one connection`, {
              extensions: { code: "QUERY_TOO_COMPLEX", limit: "subscriptions", max: MAX_SUBSCRIPTIONS_PER_CONNECTION },
            }),
          ];
        }
        // counted from now (messages are handled concurrently), released if it is refused
        const ended = new AbortController();
        connection.running.set(id, ended);
        const admitted = await admit(connection, payload.query, payload.variables ?? undefined, payload.operationName);
        if ("errors" in admitted) {
          connection.running.delete(id);
          return admitted.errors;
        }
        const contextValue = settings.contextFor(connection.viewer, `ws-${randomUUID()}`, connection.clientIp);
        // before the first read: a notice of any commit the first read cannot see yet will be heard
        await signal.listening();
        let acted = signal.heard();
        const live = {
          ended: ended.signal,
          end: () => ended.abort(),
          async nextChange() {
            acted = await signal.next(acted, settings.pollMs, ended.signal);
          },
          async renew() {
            const viewer = await settings.authenticate(connection.authorization).catch(() => null);
            if (!viewer) return false;
            Object.assign(contextValue, settings.contextFor(viewer, contextValue.requestId, connection.clientIp), { live });
            return true;
          },
        };
        contextValue.live = live;
        return { schema, document: admitted.document, variableValues: payload.variables, operationName: payload.operationName, contextValue };
      },
      onComplete(ctx, id) {
        const connection = connections.get(ctx);
        connection?.running.get(id)?.abort();
        connection?.running.delete(id);
      },
      onClose(ctx) {
        for (const ended of connections.get(ctx)?.running.values() ?? []) ended.abort();
      },
      onNext: (_ctx, _id, _payload, _args, result) => (result.errors ? { ...result, errors: result.errors.map(settings.formatError) } : undefined),
      onError: (_ctx, _id, _payload, errors) => errors.map((error) => settings.formatError(error.originalError instanceof GraphQLError ? error.originalError : error)),
    },
    sockets,
  );

  return {
    async close() {
      await server.dispose(); // closes every socket (1001 Going away) and ends their subscriptions
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
    },
  };
}
