import { Field, ID, ObjectType } from "type-graphql";
import { PageInfo } from "../../graphql/relay.js";
import { DateTimeScalar } from "../../graphql/scalars.js";

@ObjectType({ description: "One event on an organisation's timeline." })
export class TimelineItem {
  @Field(() => String, {
    description: "ORGANISATION_REQUEST, NOTE, CONTACT_CHANGE, VISIT, OPPORTUNITY_STAGE_CHANGE, QUOTE, ORDER, INCIDENT, TASK (later modules add kinds).",
  })
  kind!: string;
  @Field(() => DateTimeScalar) at!: Date;
  @Field(() => String) title!: string;
  @Field(() => String, { nullable: true }) summary!: string | null;
  @Field(() => String, { description: "Node type of the related object." }) subjectType!: string;
  @Field(() => ID, { description: "Global id of the related object." }) subjectId!: string;
}

@ObjectType()
export class TimelineEdge {
  @Field() cursor!: string;
  @Field(() => TimelineItem) node!: TimelineItem;
}

@ObjectType({ description: "Newest first. No totalCount: the feed is merged from several sources." })
export class TimelineConnection {
  @Field(() => [TimelineEdge]) edges!: TimelineEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}
