import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import type { PipelineStage as StageRow } from "../../db/generated/client.js";
import { ForecastCategory } from "../../db/generated/enums.js";
import { Node } from "../../graphql/relay.js";

registerEnumType(ForecastCategory, {
  name: "ForecastCategory",
  description: "Where a deal stands in the forecast: PIPELINE (early), BEST_CASE (could close), COMMIT (will close), CLOSED (won), OMITTED (out of the forecast: lost, or set aside).",
});

export type { StageRow };

@ObjectType({ implements: Node, description: "A step of the sales pipeline, configured by head office." })
export class PipelineStage extends Node {
  @Field() name!: string;
  @Field(() => Int, { description: "Order of the stage in the pipeline (ascending)." }) position!: number;
  @Field(() => Int, { description: "Probability (0–100) a deal gets when it enters the stage." }) defaultProbability!: number;
  @Field(() => Int, { nullable: true, description: "Days in the stage after which a deal is stale." }) maxDaysInStage!: number | null;
  @Field(() => ForecastCategory, { description: "The forecast category of its deals, unless a deal overrides it (won stage: CLOSED, lost stage: OMITTED)." })
  forecastCategory!: ForecastCategory;
  @Field() isWon!: boolean;
  @Field() isLost!: boolean;
  @Field() active!: boolean;
}

@InputType()
export class CreatePipelineStageInput {
  @Field() name!: string;
  @Field(() => Int) position!: number;
  @Field(() => Int) defaultProbability!: number;
  @Field(() => Int, { nullable: true }) maxDaysInStage?: number | null;
  @Field(() => Boolean, { nullable: true }) isWon?: boolean | null;
  @Field(() => Boolean, { nullable: true }) isLost?: boolean | null;
  @Field(() => ForecastCategory, { nullable: true, description: "Default: CLOSED for a won stage, OMITTED for a lost one, else from the probability (≥ 75 COMMIT, ≥ 50 BEST_CASE, else PIPELINE)." })
  forecastCategory?: ForecastCategory | null;
}

@InputType({ description: "Only the fields sent are changed." })
export class UpdatePipelineStageInput {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => Int, { nullable: true }) position?: number | null;
  @Field(() => Int, { nullable: true }) defaultProbability?: number | null;
  @Field(() => Int, { nullable: true }) maxDaysInStage?: number | null;
  @Field(() => Boolean, { nullable: true }) active?: boolean | null;
  @Field(() => ForecastCategory, { nullable: true }) forecastCategory?: ForecastCategory | null;
}

@ObjectType()
export class PipelineStagePayload {
  @Field(() => PipelineStage, { nullable: true }) stage!: StageRow | null;
}
