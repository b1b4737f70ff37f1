import { Field, ID, InputType, ObjectType, registerEnumType } from "type-graphql";
import { ApiTokenKind } from "../../db/generated/enums.js";
import type { ApiToken as ApiTokenRow } from "../../db/generated/client.js";
import { ConnectionType, Node } from "../../graphql/relay.js";
import { DateTimeScalar } from "../../graphql/scalars.js";

registerEnumType(ApiTokenKind, { name: "ApiTokenKind", description: "PARTNER: an outsourced sales force; SERVICE: an internal script." });

export type { ApiTokenRow };

@ObjectType({ implements: Node, description: "A partner or service token. The secret is shown once, when issued." })
export class ApiToken extends Node {
  @Field(() => ApiTokenKind) kind!: ApiTokenKind;
  @Field() name!: string;
  @Field(() => [String]) scopes!: string[];
  @Field(() => DateTimeScalar, { nullable: true }) expiresAt!: Date | null;
  @Field(() => DateTimeScalar, { nullable: true }) revokedAt!: Date | null;
  @Field(() => DateTimeScalar, { nullable: true }) lastUsedAt!: Date | null;
  @Field(() => DateTimeScalar) createdAt!: Date;
}

export const ApiTokenConnection = ConnectionType(ApiToken, "ApiToken");

@InputType()
export class IssueApiTokenInput {
  @Field(() => ApiTokenKind) kind!: ApiTokenKind;
  @Field() name!: string;
  @Field(() => [String], { description: "Scopes from the catalogue (README)." }) scopes!: string[];
  @Field(() => [ID], { nullable: true, description: "Restrict a partner to the organisations of these territories." })
  territoryIds?: string[] | null;
  @Field(() => [ID], { nullable: true, description: "Restrict a partner to these organisations." })
  organisationIds?: string[] | null;
  @Field(() => DateTimeScalar, { nullable: true, description: "Mandatory for partners, at most 90 days ahead." })
  expiresAt?: Date | null;
}

@ObjectType()
export class IssueApiTokenPayload {
  @Field(() => ApiToken) apiToken!: ApiTokenRow;
  @Field({ description: "The bearer token. Shown once: it is stored only as a hash." }) token!: string;
}

@InputType()
export class RevokeApiTokenInput {
  @Field(() => ID) id!: string;
}

@ObjectType()
export class RevokeApiTokenPayload {
  @Field(() => ApiToken) apiToken!: ApiTokenRow;
}
