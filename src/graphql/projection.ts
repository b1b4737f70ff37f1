// Which columns a list reads: the fields an operation asks for on the nodes of a connection, mapped to the
// columns each needs. Reading 9 columns of 300 opportunities instead of 26 costs Prisma a third of the CPU
// (measured: bench/README.md). A field the map does not know reads the whole row, so a new field is right
// before it is fast; an entry of the map must name every column its resolver reads.
import { Kind, type FieldNode, type FragmentDefinitionNode, type GraphQLResolveInfo, type SelectionSetNode } from "graphql";
import { groupByKey } from "./context.js";

export interface ColumnMap<Row> {
  /** read whatever is asked: the id and the columns a list is grouped or paged by */
  readonly always: readonly (keyof Row & string)[];
  /** GraphQL field of the node → the columns its value is computed from */
  readonly fields: Readonly<Record<string, readonly (keyof Row & string)[]>>;
}

/** Entries of `ColumnMap.fields` for fields that read the column of the same name. */
export function sameNameColumns<Row>(...columns: (keyof Row & string)[]): Record<string, readonly (keyof Row & string)[]> {
  return Object.fromEntries(columns.map((column) => [column, [column]]));
}

/** A Prisma `select` of columns; null means the whole row. */
export type ColumnSelect = Readonly<Record<string, true>> | null;

function fieldsOf(set: SelectionSetNode | undefined, fragments: Record<string, FragmentDefinitionNode>): FieldNode[] {
  const fields: FieldNode[] = [];
  for (const selection of set?.selections ?? []) {
    if (selection.kind === Kind.FIELD) fields.push(selection);
    else if (selection.kind === Kind.INLINE_FRAGMENT) fields.push(...fieldsOf(selection.selectionSet, fragments));
    else fields.push(...fieldsOf(fragments[selection.name.value]?.selectionSet, fragments));
  }
  return fields;
}

/** Names of the fields asked on `edges { node { … } }` of the connection fields being resolved. */
function nodeFieldNames(info: GraphQLResolveInfo): Set<string> {
  const names = new Set<string>();
  for (const connection of info.fieldNodes) {
    for (const edges of fieldsOf(connection.selectionSet, info.fragments)) {
      if (edges.name.value !== "edges") continue;
      for (const node of fieldsOf(edges.selectionSet, info.fragments)) {
        if (node.name.value !== "node") continue;
        for (const field of fieldsOf(node.selectionSet, info.fragments)) names.add(field.name.value);
      }
    }
  }
  return names;
}

/** Names of the fields asked on the objects of these child fields of the field being resolved (`groups`, `total`). */
export function fieldNamesUnder(info: GraphQLResolveInfo, children: readonly string[]): Set<string> {
  const names = new Set<string>();
  for (const node of info.fieldNodes)
    for (const child of fieldsOf(node.selectionSet, info.fragments))
      if (children.includes(child.name.value)) for (const field of fieldsOf(child.selectionSet, info.fragments)) names.add(field.name.value);
  return names;
}

/** Names of the fields asked on the object the field being resolved returns. */
function objectFieldNames(info: GraphQLResolveInfo): Set<string> {
  return new Set(info.fieldNodes.flatMap((node) => fieldsOf(node.selectionSet, info.fragments).map((field) => field.name.value)));
}

// The same field of the same (cached, parsed) operation always asks for the same columns.
const cache = new WeakMap<FieldNode, Map<ColumnMap<never>, ColumnSelect>>();

function columnsOf<Row>(info: GraphQLResolveInfo, map: ColumnMap<Row>, names: (info: GraphQLResolveInfo) => Set<string>): ColumnSelect {
  const key = info.fieldNodes[0]!;
  let byMap = cache.get(key);
  if (!byMap) cache.set(key, (byMap = new Map()));
  const known = byMap.get(map as ColumnMap<never>);
  if (known !== undefined) return known;
  let select: Record<string, true> | null = Object.fromEntries(map.always.map((column) => [column, true]));
  for (const name of names(info)) {
    if (name === "__typename") continue;
    const columns = map.fields[name];
    if (!columns) {
      select = null;
      break;
    }
    for (const column of columns) select[column] = true;
  }
  byMap.set(map as ColumnMap<never>, select);
  return select;
}

/** The columns to read for the nodes of the connection `info` resolves; null when a field needs the whole row. */
export const connectionColumns = <Row>(info: GraphQLResolveInfo, map: ColumnMap<Row>): ColumnSelect => columnsOf(info, map, nodeFieldNames);

/** The columns to read for the object `info` resolves (a relation such as opportunity.organisation). */
export const objectColumns = <Row>(info: GraphQLResolveInfo, map: ColumnMap<Row>): ColumnSelect => columnsOf(info, map, objectFieldNames);

const keys = new WeakMap<object, string>();

/** A stable name for a selection of columns (loaders batch the keys asking for the same columns together). */
export function columnsKey(select: ColumnSelect): string {
  if (!select) return "*";
  let key = keys.get(select);
  if (key === undefined) keys.set(select, (key = Object.keys(select).sort().join(",")));
  return key;
}

/** A loader key for the rows of a parent, read with the given columns. */
export interface ProjectedKey {
  parentId: string;
  columns: ColumnSelect;
}

export const projectedKeyName = (key: ProjectedKey): string => `${columnsKey(key.columns)}|${key.parentId}`;

/**
 * Batch function of a loader keyed by (parent, columns): one query per distinct selection of columns
 * (an operation asks for one or two), each for all the parents asking for it; rows grouped per parent.
 */
export async function loadChildrenByColumns<Row>(
  keys: readonly ProjectedKey[],
  fetch: (parentIds: string[], columns: ColumnSelect) => Promise<Row[]>,
  parentOf: (row: Row) => string,
): Promise<Row[][]> {
  const groups = new Map<string, { columns: ColumnSelect; parentIds: string[] }>();
  for (const key of keys) {
    const name = columnsKey(key.columns);
    const group = groups.get(name) ?? { columns: key.columns, parentIds: [] };
    group.parentIds.push(key.parentId);
    groups.set(name, group);
  }
  const children = new Map<string, Row[]>();
  await Promise.all(
    [...groups].map(async ([name, group]) => {
      const rows = groupByKey(group.parentIds, await fetch(group.parentIds, group.columns), parentOf);
      group.parentIds.forEach((parentId, i) => children.set(`${name}|${parentId}`, rows[i]!));
    }),
  );
  return keys.map((key) => children.get(projectedKeyName(key)) ?? []);
}
