import { Field, ID, ObjectType, registerEnumType } from "type-graphql";
import { Node, PageInfo } from "../../graphql/relay.js";
import { DateTimeScalar } from "../../graphql/scalars.js";

/** The soft-deleted entities (their GraphQL type names). */
export enum TrashEntity {
  Contact = "Contact",
  Opportunity = "Opportunity",
  Quote = "Quote",
  Visit = "Visit",
  Task = "Task",
}
registerEnumType(TrashEntity, { name: "TrashEntity", description: "What the recycle bin holds: contacts, deals, quotes, visits and tasks." });

export interface TrashEntryRow {
  entity: TrashEntity;
  id: string;
  deletedAt: Date;
  purgeAfter: Date;
  record: object;
}

@ObjectType({ description: "A deleted record in the recycle bin: restorable (same id) until `purgeAfter`, then purged." })
export class TrashEntry {
  @Field(() => ID, { description: "Global id of the record (the one it had, and has again once restored)." }) id!: string;
  @Field(() => TrashEntity) entity!: TrashEntity;
  @Field(() => DateTimeScalar) deletedAt!: Date;
  @Field(() => DateTimeScalar, { description: "When the record leaves the bin for good (TRASH_RETENTION_DAYS after its deletion)." })
  purgeAfter!: Date;
  @Field(() => Node, { description: "The record as it was deleted (the fields of its type, under the same read rules)." }) record!: object;
}

@ObjectType()
export class TrashEdge {
  @Field() cursor!: string;
  @Field(() => TrashEntry) node!: TrashEntryRow;
}

@ObjectType({ description: "The recycle bin, most recently deleted first." })
export class TrashConnection {
  @Field(() => [TrashEdge]) edges!: TrashEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}

@ObjectType({ description: "A restored record, back under its own id." })
export class RestorePayload {
  @Field(() => Node) record!: object;
}
