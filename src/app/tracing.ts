// OpenTelemetry traces, exported over OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT. Imported by main.ts only
// when that is set, and before the server's own modules: instrumentation patches http, express, graphql
// and Prisma as they load. The SDK's standard OTEL_* variables (sampler, batch delays…) apply as well.
import { register } from "node:module";
import { context, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { ExpressInstrumentation } from "@opentelemetry/instrumentation-express";
import { GraphQLInstrumentation } from "@opentelemetry/instrumentation-graphql";
import { HttpInstrumentation } from "@opentelemetry/instrumentation-http";
import { NodeSDK } from "@opentelemetry/sdk-node";
import { BatchSpanProcessor } from "@opentelemetry/sdk-trace";
import { PrismaInstrumentation } from "@prisma/instrumentation";
import { installTelemetry } from "./telemetry.js";

export interface Tracing {
  /** sends the spans still buffered, then stops */
  shutdown(): Promise<void>;
}

export function startTracing(options: { endpoint: string; serviceName: string }): Tracing {
  // the project is ESM: its imports are patched through the loader hook, CommonJS ones through require
  register("@opentelemetry/instrumentation/hook.mjs", import.meta.url);
  const exporter = new OTLPTraceExporter({ url: `${options.endpoint.replace(/\/+$/, "")}/v1/traces` });
  const sdk = new NodeSDK({
    serviceName: options.serviceName,
    spanProcessors: [new BatchSpanProcessor({ exporter })],
    instrumentations: [
      new HttpInstrumentation(),
      new ExpressInstrumentation(),
      // graphql-js parse and validate; execution runs compiled (graphql-jit), its span is ours (below)
      new GraphQLInstrumentation({ mergeItems: true, ignoreTrivialResolveSpans: true }),
      new PrismaInstrumentation(),
    ],
  });
  sdk.start();

  const tracer = trace.getTracer("fieldsales-crm-api");
  installTelemetry({
    traceId: () => trace.getActiveSpan()?.spanContext().traceId,
    inOperationSpan: (operation, run) => {
      const name = operation.name ? `${operation.type} ${operation.name}` : operation.type;
      const attributes = { "graphql.operation.type": operation.type, ...(operation.name ? { "graphql.operation.name": operation.name } : {}) };
      return tracer.startActiveSpan(name, { kind: SpanKind.INTERNAL, attributes }, context.active(), async (span) => {
        try {
          return await run();
        } catch (error) {
          span.recordException(error as Error);
          span.setStatus({ code: SpanStatusCode.ERROR });
          throw error;
        } finally {
          span.end();
        }
      });
    },
  });
  return { shutdown: () => sdk.shutdown() };
}
