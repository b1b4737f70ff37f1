// Executes validated operations with graphql-jit instead of graphql-js's interpreter: each distinct
// operation is compiled once into a JavaScript function that walks the selection directly (measured:
// bench/README.md). Apollo still parses, validates and runs every plugin; only execution changes. It plugs
// in through Apollo's gateway interface, whose executor receives the validated document.
import type { GatewayExecutor, GatewayInterface } from "@apollo/server-gateway-interface";
import {
  execute,
  getNamedType,
  GraphQLError,
  getVariableValues,
  isInputObjectType,
  isInputType,
  Kind,
  printSchema,
  TypeInfo,
  typeFromAST,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLInputObjectType,
  type GraphQLInputType,
  type GraphQLSchema,
} from "graphql";
import { compileQuery, isCompiledQuery, type CompiledQuery } from "graphql-jit";
import { inOperationSpan } from "./telemetry.js";

/** Operations kept compiled; the least recently used is dropped beyond this (clients send a few dozen shapes). */
const MAX_COMPILED_OPERATIONS = 1_000;

/** A compiled operation, or "interpret" for one graphql-js runs (see `compile`). */
type Plan = CompiledQuery | "interpret";

/**
 * graphql-jit writes the parsed value of an inline argument into its generated code as JSON (Dates aside),
 * so a scalar that parses into an object (Money → Decimal) would reach the resolver as a string. Such
 * operations are interpreted; clients passing these values as variables (the norm) are compiled.
 */
function hasInlineObjectScalar(schema: GraphQLSchema, document: DocumentNode, objectScalars: ReadonlySet<string>): boolean {
  const typeInfo = new TypeInfo(schema);
  let found = false;
  const check = () => {
    const type = typeInfo.getInputType();
    if (type && objectScalars.has(getNamedType(type).name)) found = true;
  };
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Argument: (node) => (node.value.kind === Kind.VARIABLE ? undefined : check()),
      ObjectField: (node) => (node.value.kind === Kind.VARIABLE ? undefined : check()),
      ListValue: check,
    }),
  );
  return found;
}

/** An input type that contains itself (a composable filter: AND / OR / NOT of the same filter type). */
function isRecursiveInput(type: GraphQLInputType): boolean {
  const start = getNamedType(type);
  if (!isInputObjectType(start)) return false;
  const seen = new Set<string>();
  const stack: GraphQLInputObjectType[] = [start];
  while (stack.length) {
    for (const field of Object.values(stack.pop()!.getFields())) {
      const named = getNamedType(field.type);
      if (!isInputObjectType(named)) continue;
      if (named === start) return true;
      if (!seen.has(named.name)) {
        seen.add(named.name);
        stack.push(named);
      }
    }
  }
  return false;
}

/**
 * graphql-jit generates the coercion of a variable by unrolling its input type, which never ends for a type
 * that contains itself (the process runs out of memory): operations with such variables are interpreted.
 */
function hasRecursiveInputVariable(schema: GraphQLSchema, document: DocumentNode): boolean {
  return document.definitions.some(
    (definition) =>
      definition.kind === Kind.OPERATION_DEFINITION &&
      (definition.variableDefinitions ?? []).some((variable) => {
        const type = typeFromAST(schema, variable.type);
        return type !== undefined && isInputType(type) && isRecursiveInput(type);
      }),
  );
}

function compile(schema: GraphQLSchema, document: DocumentNode, operationName: string | null, objectScalars: ReadonlySet<string>): Plan {
  if (hasInlineObjectScalar(schema, document, objectScalars) || hasRecursiveInputVariable(schema, document)) return "interpret";
  const compiled = compileQuery<Record<string, unknown>, Record<string, unknown>>(schema, document, operationName ?? undefined);
  // what graphql-jit cannot compile is interpreted, as it would be without it
  return isCompiledQuery(compiled) ? compiled : "interpret";
}

/**
 * graphql-jit's errors leave `extensions` undefined when the original error has none (a database failure),
 * which Apollo's error formatting cannot read: rebuilt as graphql-js errors, they reach formatError like
 * any other (logged, masked, or answered SERVICE_UNAVAILABLE).
 */
function asGraphQLJsErrors(result: ExecutionResult): ExecutionResult {
  if (!result.errors?.length) return result;
  const errors = result.errors.map((error) => {
    const rebuilt = new GraphQLError(error.message, { path: error.path, originalError: error.originalError, extensions: error.extensions ?? {} });
    (rebuilt as { locations?: GraphQLError["locations"] }).locations = error.locations;
    return rebuilt;
  });
  return { ...result, errors };
}

/** `objectScalars`: scalars whose parsed values are objects other than Dates (see hasInlineObjectScalar). */
export function jitExecutor(schema: GraphQLSchema, objectScalars: ReadonlySet<string>): GatewayExecutor {
  const plans = new Map<string, Plan>(); // insertion order = recency order
  const planFor = (source: string, document: DocumentNode, operationName: string | null): Plan => {
    const key = `${operationName ?? ""}\u0000${source}`;
    const plan = plans.get(key) ?? compile(schema, document, operationName, objectScalars);
    plans.delete(key);
    if (plans.size >= MAX_COMPILED_OPERATIONS) plans.delete(plans.keys().next().value!);
    plans.set(key, plan);
    return plan;
  };
  return ({ document, source, operationName, operation, context, request }) =>
    inOperationSpan({ name: operationName, type: operation.operation }, async () => {
      const plan = planFor(source, document, operationName);
      if (plan === "interpret") {
        return execute({ schema, document, operationName, contextValue: context, variableValues: request.variables });
      }
      // Variables are coerced by graphql-js first: its errors point at the variable definition, which Apollo
      // reports as BAD_USER_INPUT (graphql-jit's own coercion errors carry no location).
      const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], request.variables ?? {});
      if (coerced.errors) return { errors: coerced.errors };
      return asGraphQLJsErrors(await plan.query(undefined, context, request.variables ?? {}));
    });
}

/** Apollo's gateway interface around a fixed schema: the schema never changes while the server runs. */
export function jitGateway(schema: GraphQLSchema, objectScalars: ReadonlySet<string>): GatewayInterface {
  let announce: ((schemaContext: { apiSchema: GraphQLSchema; coreSupergraphSdl: string }) => void) | null = null;
  return {
    onSchemaLoadOrUpdate(callback) {
      announce = callback;
      return () => {
        announce = null;
      };
    },
    async load() {
      announce?.({ apiSchema: schema, coreSupergraphSdl: printSchema(schema) });
      return { executor: jitExecutor(schema, objectScalars) };
    },
    async stop() {},
  };
}
