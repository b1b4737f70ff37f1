// What the rest of the server asks of tracing, without loading it: src/app/tracing.ts installs these hooks
// when OTEL_EXPORTER_OTLP_ENDPOINT is set; otherwise they do nothing and OpenTelemetry is never imported.

export interface TelemetryHooks {
  /** the trace id of the span active here, if any */
  traceId(): string | undefined;
  /** runs a GraphQL operation's execution inside a span named after the operation */
  inOperationSpan<T>(operation: { name: string | null; type: string }, run: () => Promise<T>): Promise<T>;
}

let hooks: TelemetryHooks | null = null;

export function installTelemetry(installed: TelemetryHooks): void {
  hooks = installed;
}

export const currentTraceId = (): string | undefined => hooks?.traceId();

export function inOperationSpan<T>(operation: { name: string | null; type: string }, run: () => Promise<T>): Promise<T> {
  return hooks ? hooks.inOperationSpan(operation, run) : run();
}
