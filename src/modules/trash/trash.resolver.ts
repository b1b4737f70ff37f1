import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";
import type { AuthedContext } from "../../graphql/context.js";
import { PageArgs } from "../../graphql/relay.js";
import { listTrash, moveToTrash, restoreFromTrash } from "./trash.service.js";
import { RestorePayload, TrashConnection, TrashEntity, TrashEntry } from "./trash.type.js";

const DELETE = "Moves the record to the recycle bin: out of every list, count, dashboard and node(id) until restored (TRASH_RETENTION_DAYS).";
const RESTORE = "Brings a record of the viewer's recycle bin back, under the same id.";

@Resolver()
export class TrashResolver {
  @Query(() => TrashConnection, { description: "The viewer's recycle bin (deleted records it would otherwise see), most recently deleted first." })
  trash(
    @Args(() => PageArgs) page: PageArgs,
    @Arg("entities", () => [TrashEntity], { nullable: true, description: "Only these kinds (default: all)." }) entities: TrashEntity[] | null,
    @Ctx() ctx: AuthedContext,
  ) {
    return listTrash(ctx, entities, page);
  }

  @Mutation(() => TrashEntry, { description: DELETE })
  deleteContact(@Arg("id", () => ID) id: string, @Ctx() ctx: AuthedContext) {
    return moveToTrash(ctx, TrashEntity.Contact, id);
  }

  @Mutation(() => TrashEntry, { description: DELETE })
  deleteOpportunity(@Arg("id", () => ID) id: string, @Ctx() ctx: AuthedContext) {
    return moveToTrash(ctx, TrashEntity.Opportunity, id);
  }

  @Mutation(() => TrashEntry, { description: DELETE })
  deleteQuote(@Arg("id", () => ID) id: string, @Ctx() ctx: AuthedContext) {
    return moveToTrash(ctx, TrashEntity.Quote, id);
  }

  @Mutation(() => TrashEntry, { description: DELETE })
  deleteVisit(@Arg("id", () => ID) id: string, @Ctx() ctx: AuthedContext) {
    return moveToTrash(ctx, TrashEntity.Visit, id);
  }

  @Mutation(() => TrashEntry, { description: DELETE })
  deleteTask(@Arg("id", () => ID) id: string, @Ctx() ctx: AuthedContext) {
    return moveToTrash(ctx, TrashEntity.Task, id);
  }

  @Mutation(() => RestorePayload, { description: RESTORE })
  restoreContact(@Arg("id", () => ID) id: string, @Ctx() ctx: AuthedContext) {
    return restoreFromTrash(ctx, TrashEntity.Contact, id);
  }

  @Mutation(() => RestorePayload, { description: RESTORE })
  restoreOpportunity(@Arg("id", () => ID) id: string, @Ctx() ctx: AuthedContext) {
    return restoreFromTrash(ctx, TrashEntity.Opportunity, id);
  }

  @Mutation(() => RestorePayload, { description: RESTORE })
  restoreQuote(@Arg("id", () => ID) id: string, @Ctx() ctx: AuthedContext) {
    return restoreFromTrash(ctx, TrashEntity.Quote, id);
  }

  @Mutation(() => RestorePayload, { description: RESTORE })
  restoreVisit(@Arg("id", () => ID) id: string, @Ctx() ctx: AuthedContext) {
    return restoreFromTrash(ctx, TrashEntity.Visit, id);
  }

  @Mutation(() => RestorePayload, { description: RESTORE })
  restoreTask(@Arg("id", () => ID) id: string, @Ctx() ctx: AuthedContext) {
    return restoreFromTrash(ctx, TrashEntity.Task, id);
  }
}
