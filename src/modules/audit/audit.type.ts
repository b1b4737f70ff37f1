import { Field, ID, InputType, ObjectType } from "type-graphql";
import type { AuditEvent as AuditEventRow } from "../../db/generated/client.js";
import { ConnectionType, Node } from "../../graphql/relay.js";
import { DateTimeScalar } from "../../graphql/scalars.js";

export type { AuditEventRow };

@ObjectType({ implements: Node, description: "One audited write: who (user, or token jti), what entity, before/after, when. Read-only." })
export class AuditEvent extends Node {
  @Field(() => String, { description: "Entity type, e.g. Organisation, Contact, OrganisationRequest." }) entity!: string;
  @Field(() => String, { description: "Database id of the entity." }) entityId!: string;
  @Field(() => String) action!: string;
  @Field(() => String, { nullable: true, description: "The token's jti when the write came through an API token." }) tokenJti!: string | null;
  @Field(() => DateTimeScalar) at!: Date;
}

export const AuditEventConnection = ConnectionType(AuditEvent, "AuditEvent");

@InputType({ description: "All given criteria must hold." })
export class AuditEventFilter {
  @Field(() => String, { nullable: true }) entity?: string | null;
  @Field(() => String, { nullable: true, description: "Database id or global id of the entity." }) entityId?: string | null;
  @Field(() => ID, { nullable: true, description: "The user who wrote (for tokens: who issued the token)." }) actorId?: string | null;
  @Field(() => DateTimeScalar, { nullable: true }) from?: Date | null;
  @Field(() => DateTimeScalar, { nullable: true, description: "Exclusive." }) to?: Date | null;
}
