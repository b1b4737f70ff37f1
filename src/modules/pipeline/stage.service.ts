// Pipeline stages: configuration read by every commercial user, changed by head office only.
import { z } from "zod";
import type { AuthedContext, RequestContext } from "../../graphql/context.js";
import { badInput, notFound } from "../../errors/api-errors.js";
import { expectGlobalId } from "../../graphql/relay.js";
import { sentFields, validate } from "../../graphql/validation.js";
import { ForecastCategory } from "../../db/generated/enums.js";
import { recordAudit } from "../audit/audit.service.js";
import { allStages, STAGES_CONFIGURATION } from "./opportunity.loaders.js";
import type { CreatePipelineStageInput, StageRow, UpdatePipelineStageInput } from "./stage.type.js";

/**
 * A stage's forecast category when head office gives none (the migration that introduced categories
 * backfilled existing stages by the same rule): won → CLOSED, lost → OMITTED, else by its probability.
 */
export function defaultForecastCategory(stage: { defaultProbability: number; isWon?: boolean | null; isLost?: boolean | null }): ForecastCategory {
  if (stage.isWon) return ForecastCategory.CLOSED;
  if (stage.isLost) return ForecastCategory.OMITTED;
  if (stage.defaultProbability >= 75) return ForecastCategory.COMMIT;
  return stage.defaultProbability >= 50 ? ForecastCategory.BEST_CASE : ForecastCategory.PIPELINE;
}

/** A won stage is CLOSED, a lost one OMITTED, an open one anything but CLOSED (only won deals are closed). */
function checkForecastCategory(stage: { isWon?: boolean | null; isLost?: boolean | null }, category: ForecastCategory) {
  const expected = stage.isWon ? ForecastCategory.CLOSED : stage.isLost ? ForecastCategory.OMITTED : null;
  if (expected ? category !== expected : category === ForecastCategory.CLOSED) {
    throw badInput(expected ? `A ${stage.isWon ? "won" : "lost"} stage's forecast category is ${expected}` : "Only the won stage is CLOSED", { fields: [{ field: "forecastCategory" }] });
  }
}

/** The SPEC defaults, seeded in the demo and in a fresh company. */
export const DEFAULT_STAGES = (
  [
    { name: "Identification", position: 1, defaultProbability: 10, maxDaysInStage: 30 },
    { name: "Qualification", position: 2, defaultProbability: 25, maxDaysInStage: 30 },
    { name: "Proposal", position: 3, defaultProbability: 50, maxDaysInStage: 45 },
    { name: "Negotiation", position: 4, defaultProbability: 75, maxDaysInStage: 30 },
    { name: "Closing", position: 5, defaultProbability: 90, maxDaysInStage: 21 },
    { name: "Won", position: 6, defaultProbability: 100, maxDaysInStage: null, isWon: true },
    { name: "Lost", position: 7, defaultProbability: 0, maxDaysInStage: null, isLost: true },
  ] as const
).map((stage) => ({ ...stage, forecastCategory: defaultForecastCategory(stage) }));

const StageFields = z.object({
  name: z.string().trim().min(1, "must not be empty").max(60),
  position: z.number().int().min(0).max(1000),
  defaultProbability: z.number().int().min(0, "must be between 0 and 100").max(100, "must be between 0 and 100"),
  maxDaysInStage: z.number().int().min(1).max(3650).nullish(),
  isWon: z.boolean().nullish(),
  isLost: z.boolean().nullish(),
  active: z.boolean().nullish(),
  forecastCategory: z.enum(ForecastCategory).nullish(),
});
const StageChanges = StageFields.partial(); // built once: zod compiles a schema on first use

export function listStages(ctx: RequestContext): Promise<StageRow[]> {
  return ctx.loaders.get(allStages).load("all");
}

// Once a request has read the stages, each opportunity's stage is answered at once: no promise per row.
const stagesReadBy = new WeakMap<RequestContext["loaders"], Map<string, StageRow>>();

export function stageById(ctx: RequestContext, id: string): StageRow | null | Promise<StageRow | null> {
  const read = stagesReadBy.get(ctx.loaders);
  if (read) return read.get(id) ?? null;
  return listStages(ctx).then((stages) => {
    if (!stagesReadBy.has(ctx.loaders)) stagesReadBy.set(ctx.loaders, new Map(stages.map((stage) => [stage.id, stage])));
    return stagesReadBy.get(ctx.loaders)!.get(id) ?? null;
  });
}

export async function getStage(ctx: AuthedContext, globalId: string): Promise<StageRow> {
  const stage = await stageById(ctx, expectGlobalId(globalId, "PipelineStage"));
  if (!stage) throw notFound("PipelineStage");
  return stage;
}

export async function createPipelineStage(ctx: AuthedContext, input: CreatePipelineStageInput): Promise<StageRow> {
  const fields = validate(StageFields, input);
  if (fields.isWon && fields.isLost) throw badInput("A stage cannot be both won and lost", { fields: [{ field: "isLost" }] });
  const forecastCategory = fields.forecastCategory ?? defaultForecastCategory(fields);
  checkForecastCategory(fields, forecastCategory);
  const created = await ctx.db.$transaction(async (tx) => {
    if (await tx.pipelineStage.findUnique({ where: { name: fields.name } })) throw badInput(`A stage named ${fields.name} exists`, { fields: [{ field: "name" }] });
    const stage = await tx.pipelineStage.create({
      data: { ...fields, maxDaysInStage: fields.maxDaysInStage ?? null, isWon: fields.isWon ?? false, isLost: fields.isLost ?? false, active: true, forecastCategory },
    });
    await recordAudit(tx, ctx.viewer, { entity: "PipelineStage", entityId: stage.id, action: "create", after: stage });
    return stage;
  });
  ctx.configuration.forget(STAGES_CONFIGURATION);
  return created;
}

export async function updatePipelineStage(ctx: AuthedContext, input: UpdatePipelineStageInput): Promise<StageRow> {
  const id = expectGlobalId(input.id, "PipelineStage");
  const { id: _id, ...rest } = input;
  const changes = sentFields(validate(StageChanges, rest));
  for (const key of ["name", "position", "defaultProbability", "active", "forecastCategory"] as const) {
    if (key in changes && changes[key] == null) throw badInput(`${key} cannot be cleared`, { fields: [{ field: key }] });
  }
  const updated = await ctx.db.$transaction(async (tx) => {
    const before = await tx.pipelineStage.findUnique({ where: { id } });
    if (!before) throw notFound("PipelineStage");
    if (changes.forecastCategory) checkForecastCategory(before, changes.forecastCategory);
    const after = await tx.pipelineStage.update({
      where: { id },
      data: {
        name: changes.name ?? undefined,
        position: changes.position ?? undefined,
        defaultProbability: changes.defaultProbability ?? undefined,
        active: changes.active ?? undefined,
        forecastCategory: changes.forecastCategory ?? undefined,
        ...("maxDaysInStage" in changes ? { maxDaysInStage: changes.maxDaysInStage ?? null } : {}),
      },
    });
    await recordAudit(tx, ctx.viewer, { entity: "PipelineStage", entityId: id, action: "update", before, after });
    return after;
  });
  ctx.configuration.forget(STAGES_CONFIGURATION);
  return updated;
}
