import { Field, ObjectType } from "type-graphql";
import type { Territory as TerritoryRow } from "../../db/generated/client.js";
import { ConnectionType, Node } from "../../graphql/relay.js";

export type { TerritoryRow };

@ObjectType({ implements: Node, description: "A sales territory held by reps over time." })
export class Territory extends Node {
  @Field() name!: string;
}

export const TerritoryConnection = ConnectionType(Territory, "Territory");
