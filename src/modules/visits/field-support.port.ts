// What the visits module needs from the field-support modules. Tasks have landed (src/modules/tasks): their
// drafts and creation are re-exported from there. Material requests have not: MaterialRequestDraft and
// createMaterialRequestsInTransaction are a STAND-IN with the signatures that module will have, and the
// object types below give way to its `MaterialRequest` (and the tasks module's `Task`) when it lands.
import { Field, ID, Int, ObjectType } from "type-graphql";
import { z } from "zod";
import type { Viewer } from "../../auth/viewer.js";
import type { MaterialRequest as MaterialRequestRow, Prisma, Task as TaskRow } from "../../db/generated/client.js";
import { isUserViewer } from "../../auth/viewer.js";
import type { MaterialRequestStatus, TaskKind, TaskStatus } from "../../db/generated/enums.js";
import { DateScalar, DateTimeScalar } from "../../graphql/scalars.js";
import { validate } from "../../graphql/validation.js";
import { recordAudit } from "../audit/audit.service.js";

export type { MaterialRequestRow, TaskRow };

export { createTasksInTransaction } from "../tasks/task.service.js";
export type { TaskDraft } from "../tasks/task.type.js";

export interface MaterialRequestDraft {
  visitId?: string | null;
  organisationId: string;
  items: { item: string; quantity: number }[];
}

@ObjectType({ description: "A task linked to a visit (planned in the preparation or a follow-up of the report)." })
export class VisitTask {
  @Field(() => String, { description: "TaskKind: PRESENTATION, TRAINING, PROJECT_REVIEW, FOLLOW_UP, CALL, EMAIL, DEMO, OTHER." }) kind!: TaskKind;
  @Field() title!: string;
  @Field(() => String, { nullable: true }) description!: string | null;
  @Field(() => DateScalar, { nullable: true }) dueDate!: Date | null;
  @Field(() => String, { description: "OPEN, DONE or CANCELLED." }) status!: TaskStatus;
  @Field(() => DateTimeScalar, { nullable: true }) completedAt!: Date | null;
  @Field(() => Int) version!: number;
}

@ObjectType()
export class VisitMaterialItem {
  @Field() item!: string;
  @Field(() => Int) quantity!: number;
}

@ObjectType({ description: "Point-of-sale material or samples requested during a visit." })
export class VisitMaterialRequest {
  @Field(() => String, { description: "REQUESTED, APPROVED, SHIPPED, DELIVERED or REFUSED." }) status!: MaterialRequestStatus;
  @Field(() => String, { nullable: true }) statusNote!: string | null;
  @Field(() => DateTimeScalar) createdAt!: Date;
  @Field(() => Int) version!: number;
}

/** The GraphQL types the visits module shows tasks and material requests with. */
export { VisitMaterialRequest as MaterialRequest, VisitTask as Task };

const Items = z
  .array(z.object({ item: z.string().trim().min(1, "must not be empty").max(200), quantity: z.number().int().min(1, "must be between 1 and 10000").max(10_000, "must be between 1 and 10000") }))
  .min(1, "must hold 1 to 50 items")
  .max(50, "must hold 1 to 50 items");

/** Creates REQUESTED material requests (1–50 items, quantities 1–10 000), audited; the caller checked the scope. */
export async function createMaterialRequestsInTransaction(tx: Prisma.TransactionClient, viewer: Viewer, drafts: MaterialRequestDraft[]): Promise<MaterialRequestRow[]> {
  const rows: MaterialRequestRow[] = [];
  for (const draft of drafts) {
    const items = validate(z.object({ items: Items }), { items: draft.items }).items;
    const request = await tx.materialRequest.create({
      data: { visitId: draft.visitId ?? null, organisationId: draft.organisationId, items, requestedById: isUserViewer(viewer) ? viewer.userId : viewer.issuedById },
    });
    await recordAudit(tx, viewer, { entity: "MaterialRequest", entityId: request.id, action: "create", after: request });
    rows.push(request);
  }
  return rows;
}
