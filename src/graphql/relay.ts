// Relay conventions: opaque global ids, the Node interface, connections with a capped `first`.
import "reflect-metadata";
import { ArgsType, Field, ID, InterfaceType, Int, ObjectType } from "type-graphql";
import type { ClassType } from "type-graphql";
import { badInput, notFound } from "../errors/api-errors.js";
import { UUID } from "../db/uuid.js";

export const MAX_PAGE_SIZE = 200;
export const DEFAULT_PAGE_SIZE = 50;

export function toGlobalId(typeName: string, id: string): string {
  return Buffer.from(`${typeName}:${id}`).toString("base64url");
}

export function parseGlobalId(globalId: string): { typeName: string; id: string } | null {
  const decoded = Buffer.from(globalId, "base64url").toString("utf8");
  const at = decoded.indexOf(":");
  if (at <= 0) return null;
  const id = decoded.slice(at + 1);
  return UUID.test(id) ? { typeName: decoded.slice(0, at), id } : null;
}


/** The database id behind a global id of the expected type; anything else is reported as not found. */
export function expectGlobalId(globalId: string, typeName: string): string {
  const parsed = parseGlobalId(globalId);
  if (!parsed || parsed.typeName !== typeName) throw notFound(typeName);
  return parsed.id;
}

/** Node fetchers tag what they return with its GraphQL type name. */
export const resolveNodeType = (value: { __typename?: string }): string | undefined => value.__typename;

@InterfaceType({ description: "An object with a global id, fetchable with `node(id:)`.", resolveType: resolveNodeType })
export abstract class Node {
  @Field(() => ID, { description: "Global, opaque id." })
  id!: string;
}

@ObjectType()
export class PageInfo {
  @Field() hasNextPage!: boolean;
  @Field() hasPreviousPage!: boolean;
  @Field(() => String, { nullable: true }) startCursor!: string | null;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}

@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, description: `Page size, at most ${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE}).` })
  first?: number | null;

  @Field(() => String, { nullable: true, description: "Cursor of the last item of the previous page." })
  after?: string | null;
}

export interface Page {
  take: number;
  /** database id of the item the page starts after */
  afterId: string | null;
  /** the signature of the list's order (sorting.ts listOrder), which its cursors carry; "" for a fixed order */
  order: string;
}

/** `order`: the signature of the order the list is read in; a cursor built for another order is refused. */
export function readPage(args: PageArgs, order = ""): Page {
  const take = args.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(take) || take < 0 || take > MAX_PAGE_SIZE) {
    throw badInput(`first must be between 0 and ${MAX_PAGE_SIZE}`, { argument: "first", max: MAX_PAGE_SIZE });
  }
  if (args.after == null) return { take, afterId: null, order };
  // c:<order signature>:<id>, or c:<id> in a fixed order
  const cursor = /^c:(?:([^:]+):)?([^:]+)$/.exec(Buffer.from(args.after, "base64url").toString("utf8"));
  if (!cursor || !UUID.test(cursor[2]!)) throw badInput("after is not a cursor of this list", { argument: "after" });
  if ((cursor[1] ?? "") !== order) throw badInput("after is a cursor of this list in another order: page on in the order it was built for", { argument: "after" });
  return { take, afterId: cursor[2]!, order };
}

/** Prisma `take`/`cursor`/`skip` for a page: one row more than asked tells whether there is a next page. */
export function pageWindow(page: Page): { take: number; cursor?: { id: string }; skip?: number } {
  return page.afterId ? { take: page.take + 1, cursor: { id: page.afterId }, skip: 1 } : { take: page.take + 1 };
}

/** A row's cursor in a list read in the order `order` (its signature; "" for a fixed order). */
export const cursorOf = (id: string, order = ""): string => Buffer.from(order ? `c:${order}:${id}` : `c:${id}`).toString("base64url");

export interface Edge<T> {
  cursor: string;
  node: T;
}

/** Each part may be a promise: getters compute edges, pageInfo and totalCount only when a client asks for them. */
export interface Connection<T> {
  readonly edges: Edge<T>[] | Promise<Edge<T>[]>;
  readonly pageInfo: PageInfo | Promise<PageInfo>;
  readonly totalCount: number | Promise<number>;
}

/** Builds a page from rows fetched with `take + 1` (the extra row tells whether there is a next page). */
function pageOf<T extends { id: string }>(rows: T[], page: Page): { edges: Edge<T>[]; pageInfo: PageInfo } {
  const edges = rows.slice(0, page.take).map((node) => ({ cursor: cursorOf(node.id, page.order), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > page.take,
      hasPreviousPage: page.afterId !== null,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

/** A connection that reads its rows only if edges or pageInfo are asked for, and counts only if totalCount is. */
export function lazyConnection<T extends { id: string }>(
  rows: () => Promise<T[]>,
  page: Page,
  count: () => Promise<number>,
): Connection<T> {
  let built: Promise<{ edges: Edge<T>[]; pageInfo: PageInfo }> | undefined;
  let counted: Promise<number> | undefined;
  const load = () => (built ??= rows().then((list) => pageOf(list, page)));
  return {
    get edges() {
      return load().then((c) => c.edges);
    },
    get pageInfo() {
      return load().then((c) => c.pageInfo);
    },
    get totalCount() {
      return (counted ??= count());
    },
  };
}

/** Pages an in-memory list (a nested connection whose parent batch was loaded in one query). */
export function pageOfList<T extends { id: string }>(all: T[], page: Page): Connection<T> {
  const start = page.afterId ? all.findIndex((item) => item.id === page.afterId) + 1 : 0;
  return { ...pageOf(all.slice(start, start + page.take + 1), page), totalCount: all.length };
}

/** Declares `<Name>Connection` and `<Name>Edge` object types for a node type. */
export function ConnectionType<T extends object>(nodeType: ClassType<T>, name: string) {
  @ObjectType(`${name}Edge`)
  class EdgeType {
    @Field() cursor!: string;
    @Field(() => nodeType) node!: T;
  }

  @ObjectType(`${name}Connection`)
  class ConnectionClass {
    @Field(() => [EdgeType]) edges!: EdgeType[];
    @Field(() => PageInfo) pageInfo!: PageInfo;
    @Field(() => Int, { description: "Number of items in the whole list (same filters and scope)." })
    totalCount!: number;
  }
  return ConnectionClass;
}
