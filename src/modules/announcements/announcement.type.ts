import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { AnnouncementKind, PortfolioCategory, Segment } from "../../db/generated/enums.js";
import type { Announcement as AnnouncementRow } from "../../db/generated/client.js";
import { ConnectionType, Node } from "../../graphql/relay.js";
import { DateScalar, DateTimeScalar } from "../../graphql/scalars.js";
import { FILTER_DOCS } from "../../graphql/filter-tree.js";
import { SortDirection } from "../../graphql/sorting.js";

registerEnumType(AnnouncementKind, { name: "AnnouncementKind" });

export type { AnnouncementRow };

export enum AnnouncementStatus {
  SCHEDULED = "SCHEDULED",
  IN_FORCE = "IN_FORCE",
  ENDED = "ENDED",
}
registerEnumType(AnnouncementStatus, {
  name: "AnnouncementStatus",
  description: "On the request's day: SCHEDULED (starts later), IN_FORCE (inside its window), ENDED (window over, or ended by head office).",
});

@ObjectType({ description: "Who an announcement is for: each list empty = everyone; every non-empty list must hold the organisation's value." })
export class AnnouncementTargeting {
  @Field(() => [Segment]) segments!: Segment[];
  @Field(() => [PortfolioCategory]) categories!: PortfolioCategory[];
  @Field(() => [String]) regions!: string[];
  @Field(() => [String]) banners!: string[];
}

@ObjectType({ implements: Node, description: "A head-office message (launch, promotion, information) to the field, targeted at organisations." })
export class Announcement extends Node {
  @Field(() => AnnouncementKind) kind!: AnnouncementKind;
  @Field() title!: string;
  @Field() body!: string;
  @Field(() => DateScalar, { description: "First day in force." }) validFrom!: Date;
  @Field(() => DateScalar, { nullable: true, description: "First day no longer in force (exclusive, like every validity window of the API); null: open-ended. Ending the announcement sets it to that day." }) validTo!: Date | null;
  @Field(() => DateTimeScalar, { nullable: true, description: "When head office ended it (its window then closes on that day)." }) endedAt!: Date | null;
  @Field(() => Int, { description: "Optimistic-concurrency version: send it back with updates." }) version!: number;
  @Field(() => DateTimeScalar) createdAt!: Date;
  @Field(() => DateTimeScalar) updatedAt!: Date;
}

export const AnnouncementConnection = ConnectionType(Announcement, "Announcement");

@InputType({ description: "All given criteria must hold. Reps, managers and partners see only announcements in force today that target one of their organisations." })
export class AnnouncementFilter {
  @Field(() => [AnnouncementStatus], { nullable: true, description: "Head office: default all." }) status?: AnnouncementStatus[] | null;
  @Field(() => [AnnouncementKind], { nullable: true }) kind?: AnnouncementKind[] | null;
  @Field(() => DateTimeScalar, { nullable: true, description: FILTER_DOCS.updatedAfter }) updatedAfter?: Date | null;
}

export enum AnnouncementOrderField {
  VALID_FROM = "VALID_FROM",
  CREATED_AT = "CREATED_AT",
  TITLE = "TITLE",
}
registerEnumType(AnnouncementOrderField, { name: "AnnouncementOrderField" });

@InputType({ description: "Default: latest start first (VALID_FROM, DESC)." })
export class AnnouncementOrder {
  @Field(() => AnnouncementOrderField) field!: AnnouncementOrderField;
  @Field(() => SortDirection, { defaultValue: SortDirection.ASC }) direction!: SortDirection;
}

@InputType({ description: "Empty or absent lists target everyone." })
export class AnnouncementTargetingInput {
  @Field(() => [Segment], { nullable: true }) segments?: Segment[] | null;
  @Field(() => [PortfolioCategory], { nullable: true }) categories?: PortfolioCategory[] | null;
  @Field(() => [String], { nullable: true }) regions?: string[] | null;
  @Field(() => [String], { nullable: true }) banners?: string[] | null;
}

@InputType()
export class CreateAnnouncementInput {
  @Field(() => AnnouncementKind) kind!: AnnouncementKind;
  @Field() title!: string;
  @Field() body!: string;
  @Field(() => DateScalar) validFrom!: Date;
  @Field(() => DateScalar, { nullable: true, description: "First day no longer in force (exclusive)." }) validTo?: Date | null;
  @Field(() => AnnouncementTargetingInput, { nullable: true }) targeting?: AnnouncementTargetingInput | null;
}

@InputType({ description: "Changes the fields sent (targeting as a whole); `version` must be the one last read (else CONFLICT)." })
export class UpdateAnnouncementInput {
  @Field(() => ID) id!: string;
  @Field(() => Int) version!: number;
  @Field(() => AnnouncementKind, { nullable: true }) kind?: AnnouncementKind | null;
  @Field(() => String, { nullable: true }) title?: string | null;
  @Field(() => String, { nullable: true }) body?: string | null;
  @Field(() => DateScalar, { nullable: true }) validFrom?: Date | null;
  @Field(() => DateScalar, { nullable: true, description: "First day no longer in force (exclusive); null: open-ended." }) validTo?: Date | null;
  @Field(() => AnnouncementTargetingInput, { nullable: true }) targeting?: AnnouncementTargetingInput | null;
}

@InputType()
export class EndAnnouncementInput {
  @Field(() => ID) id!: string;
  @Field(() => Int) version!: number;
}

@ObjectType()
export class AnnouncementPayload {
  @Field(() => Announcement, { nullable: true }) announcement!: AnnouncementRow | null;
}
