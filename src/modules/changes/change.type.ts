import { Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { Node } from "../../graphql/relay.js";
import { DateTimeScalar } from "../../graphql/scalars.js";

/** What a change means for the reader (not for the record): the same write can add a record to one
 * reader's copy and remove it from another's. */
export enum ChangeKind {
  CREATED = "CREATED",
  UPDATED = "UPDATED",
  ENTERED_SCOPE = "ENTERED_SCOPE",
  REMOVED = "REMOVED",
}
registerEnumType(ChangeKind, {
  name: "ChangeKind",
  description:
    "CREATED: a new record; UPDATED: a record the reader already had changed; ENTERED_SCOPE: a record the reader could not see before " +
    "(now in their charge, their territory…), to add to a copy; REMOVED: a record to drop from a copy (see `removal`).",
});

export enum RemovalReason {
  DELETED = "DELETED",
  MERGED = "MERGED",
  LEFT_SCOPE = "LEFT_SCOPE",
}
registerEnumType(RemovalReason, {
  name: "RemovalReason",
  description: "DELETED: the record is gone; MERGED: merged into another (`mergedInto`); LEFT_SCOPE: it still exists but the reader may no longer see it.",
});

@ObjectType({ description: "Why a record left the reader's copy." })
export class Removal {
  @Field(() => RemovalReason) reason!: RemovalReason;
  @Field(() => ID, { nullable: true, description: "For MERGED: the record it was merged into (itself delivered when the reader may see it)." })
  mergedInto!: string | null;
}

@ObjectType({ description: "One change as the reader may see it." })
export class Change {
  @Field(() => ChangeKind) kind!: ChangeKind;
  @Field(() => String, { description: "The record's type (Organisation, Contact, Opportunity, Visit, Task…)." }) entity!: string;
  @Field(() => ID, { description: "Global id of the record." }) id!: string;
  @Field(() => String, {
    description: "The write behind it: create, update, moveStage, report, approve, mergeInto, import, deactivate, chargeChanged (who is in charge changed)…",
  })
  action!: string;
  @Field(() => Int, { nullable: true, description: "The record's version after this change, when it has one." }) version!: number | null;
  @Field(() => [String], { description: "The fields this change touched, among those the reader may read." }) changedFields!: string[];
  @Field(() => DateTimeScalar, { description: "When the change was written (or, for a scheduled change of charge, the day it took effect)." })
  at!: Date;
  @Field(() => Node, { nullable: true, description: "The record as the reader may read it now (the same fields as node(id)); null when removed." })
  node!: object | null;
  @Field(() => Removal, { nullable: true }) removal!: Removal | null;
}

@ObjectType({ description: "A page of the reader's changes, in commit order." })
export class ChangePage {
  @Field(() => [Change]) changes!: Change[];
  @Field(() => String, { description: "Where to resume: pass it as `after` next time (opaque; store it with the copy)." }) cursor!: string;
  @Field(() => Boolean, { description: "True when more changes are ready now: ask again at once." }) hasMore!: boolean;
}
