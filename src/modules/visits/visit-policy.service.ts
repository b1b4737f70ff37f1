// Visit policies: head office sets the target frequency by segment and/or category. At most one policy per
// (segment, category) pair, so that "the most specific policy" (visit-policy.sql.ts) is never ambiguous.
import { z } from "zod";
import type { Prisma } from "../../db/generated/client.js";
import type { AuthedContext, RequestContext } from "../../graphql/context.js";
import { badInput, notFound } from "../../errors/api-errors.js";
import { expectGlobalId } from "../../graphql/relay.js";
import { sentFields, validate } from "../../graphql/validation.js";
import { recordAudit } from "../audit/audit.service.js";
import { allPolicies } from "./visit.loaders.js";
import type { CreateVisitPolicyInput, DeleteVisitPolicyInput, UpdateVisitPolicyInput, VisitPolicyRow } from "./visit.type.js";

type Tx = Prisma.TransactionClient;

const PolicyFields = z.object({
  name: z.string().trim().min(1, "must not be empty").max(100),
  segment: z.enum(["GOLD", "SILVER", "BRONZE"]).nullish(),
  category: z.enum(["MAINTAIN", "DEVELOP", "CONQUER"]).nullish(),
  intervalMonths: z.number().int().min(1, "must be between 1 and 60 months").max(60, "must be between 1 and 60 months"),
});
const PolicyChanges = PolicyFields.partial(); // built once: zod compiles a schema on first use

export const listVisitPolicies = (ctx: RequestContext) => ctx.loaders.get(allPolicies).load("all");

export async function policyById(ctx: RequestContext, id: string | null): Promise<VisitPolicyRow | null> {
  if (!id) return null;
  return (await listVisitPolicies(ctx)).find((policy) => policy.id === id) ?? null;
}

async function checkUnique(tx: Tx, fields: Pick<VisitPolicyRow, "segment" | "category">, exceptId: string | null) {
  const same = await tx.visitPolicy.findFirst({
    where: { segment: fields.segment ?? null, category: fields.category ?? null, ...(exceptId ? { id: { not: exceptId } } : {}) },
    select: { name: true },
  });
  if (same) throw badInput(`The policy "${same.name}" already targets this segment and category`, { fields: [{ field: "segment" }, { field: "category" }] });
}

export async function createVisitPolicy(ctx: AuthedContext, input: CreateVisitPolicyInput): Promise<VisitPolicyRow> {
  const fields = validate(PolicyFields, input);
  return ctx.db.$transaction(async (tx) => {
    const data = { name: fields.name, segment: fields.segment ?? null, category: fields.category ?? null, intervalMonths: fields.intervalMonths };
    await checkUnique(tx, data, null);
    const policy = await tx.visitPolicy.create({ data });
    await recordAudit(tx, ctx.viewer, { entity: "VisitPolicy", entityId: policy.id, action: "create", after: policy });
    return policy;
  });
}

export async function updateVisitPolicy(ctx: AuthedContext, input: UpdateVisitPolicyInput): Promise<VisitPolicyRow> {
  const id = expectGlobalId(input.id, "VisitPolicy");
  const { id: _id, ...rest } = input;
  const changes = sentFields(validate(PolicyChanges, rest));
  for (const key of ["name", "intervalMonths"] as const) {
    if (key in changes && changes[key] == null) throw badInput(`${key} cannot be cleared`, { fields: [{ field: key }] });
  }
  return ctx.db.$transaction(async (tx) => {
    const before = await tx.visitPolicy.findUnique({ where: { id } });
    if (!before) throw notFound("VisitPolicy");
    const after = { ...before, ...changes } as VisitPolicyRow;
    await checkUnique(tx, after, id);
    const updated = await tx.visitPolicy.update({
      where: { id },
      data: { name: after.name, segment: after.segment, category: after.category, intervalMonths: after.intervalMonths },
    });
    await recordAudit(tx, ctx.viewer, { entity: "VisitPolicy", entityId: id, action: "update", before, after: updated });
    return updated;
  });
}

export async function deleteVisitPolicy(ctx: AuthedContext, input: DeleteVisitPolicyInput): Promise<string> {
  const id = expectGlobalId(input.id, "VisitPolicy");
  return ctx.db.$transaction(async (tx) => {
    const before = await tx.visitPolicy.findUnique({ where: { id } });
    if (!before) throw notFound("VisitPolicy");
    await tx.visitPolicy.delete({ where: { id } });
    await recordAudit(tx, ctx.viewer, { entity: "VisitPolicy", entityId: id, action: "delete", before });
    return input.id;
  });
}
