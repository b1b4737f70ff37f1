// One check of every string a request carries, before any resolver runs: inline argument values (of
// every field and directive, in the operation and its fragments), variable defaults and variable values
// (the JSON scalar's content included). A string with a NUL character or a lone UTF-16 surrogate cannot be
// stored by PostgreSQL (text refuses NUL, jsonb refuses both); an oversized one is refused here once
// instead of by a length limit in each service. The refusal is BAD_USER_INPUT naming the argument or
// variable, in the `fields` form of every other input error.
import type { ApolloServerPlugin } from "@apollo/server";
import { GraphQLError, Kind, type DocumentNode, type ValueNode } from "graphql";

/** Characters a single string input may hold (documented in docs/permissions.md). */
export const MAX_STRING_LENGTH = 10_000;

/** With the `u` flag a surrogate pair reads as one code point: `\p{Cs}` only matches unpaired halves. */
const LONE_SURROGATE = /\p{Cs}/u;

/** What is wrong with one string, or null. */
export function stringProblem(value: string): string | null {
  if (value.length > MAX_STRING_LENGTH) return `must be at most ${MAX_STRING_LENGTH} characters`;
  if (value.includes("\u0000")) return "must not contain a NUL character (\\u0000)";
  if (LONE_SURROGATE.test(value)) return "must not contain a lone UTF-16 surrogate";
  return null;
}

interface Problem {
  field: string;
  message: string;
}

/** Strings of a literal value, with their path (`input.name`, `ids[2]`); iterative: no depth to overflow. */
function literalProblems(start: ValueNode, path: string, problems: Problem[]): void {
  const stack: [ValueNode, string][] = [[start, path]];
  while (stack.length) {
    const [node, at] = stack.pop()!;
    if (node.kind === Kind.STRING) {
      const message = stringProblem(node.value);
      if (message) problems.push({ field: at, message });
    } else if (node.kind === Kind.LIST) {
      node.values.forEach((value, i) => stack.push([value, `${at}[${i}]`]));
    } else if (node.kind === Kind.OBJECT) {
      for (const field of node.fields) stack.push([field.value, `${at}.${field.name.value}`]);
    }
  }
}

/** Strings of the variables' JSON (keys too: a JSON scalar stores them), with their path (`$input.name`). */
function variableProblems(variables: Record<string, unknown>, problems: Problem[]): void {
  const stack: [unknown, string][] = Object.entries(variables).map(([name, value]) => [value, `$${name}`]);
  while (stack.length) {
    const [value, at] = stack.pop()!;
    if (typeof value === "string") {
      const message = stringProblem(value);
      if (message) problems.push({ field: at, message });
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => stack.push([item, `${at}[${i}]`]));
    } else if (value && typeof value === "object") {
      for (const [key, item] of Object.entries(value)) {
        const message = stringProblem(key);
        if (message) problems.push({ field: `${at} (a key)`, message });
        stack.push([item, `${at}.${key}`]);
      }
    }
  }
}

/** Every problem of a request's strings; the document has been parsed and validated. */
function inputProblems(document: DocumentNode, variables: Record<string, unknown> | undefined): Problem[] {
  const problems: Problem[] = [];
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION && definition.kind !== Kind.FRAGMENT_DEFINITION) continue;
    for (const variable of definition.kind === Kind.OPERATION_DEFINITION ? (definition.variableDefinitions ?? []) : []) {
      if (variable.defaultValue) literalProblems(variable.defaultValue, `$${variable.variable.name.value}`, problems);
    }
    // selections nest no deeper than the depth limit allows: a stack keeps this walk flat all the same
    const selections = [...definition.selectionSet.selections];
    while (selections.length) {
      const selection = selections.pop()!;
      for (const directive of selection.directives ?? []) {
        for (const argument of directive.arguments ?? []) literalProblems(argument.value, `@${directive.name.value}.${argument.name.value}`, problems);
      }
      if (selection.kind === Kind.FIELD) {
        for (const argument of selection.arguments ?? []) literalProblems(argument.value, argument.name.value, problems);
      }
      if (selection.kind !== Kind.FRAGMENT_SPREAD && selection.selectionSet) selections.push(...selection.selectionSet.selections);
    }
  }
  if (variables) variableProblems(variables, problems);
  return problems;
}

/** The refusal of a request whose strings have problems, or null (for every path that runs operations). */
export function inputRefusal(document: DocumentNode, variables: Record<string, unknown> | undefined): GraphQLError | null {
  // the first few say enough; a message listing thousands would be its own oversized answer
  const problems = inputProblems(document, variables).slice(0, 20);
  if (!problems.length) return null;
  return new GraphQLError(`Invalid input: ${problems.map((p) => `${p.field} ${p.message}`).join("; ")}`, {
    extensions: { code: "BAD_USER_INPUT", fields: problems, http: { status: 400 } },
  });
}

export function inputGuardPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, request }) {
          const refusal = inputRefusal(document, request.variables);
          if (refusal) throw refusal;
        },
      };
    },
  };
}
