import { Field, ObjectType, registerEnumType } from "type-graphql";
import { Role } from "../../db/generated/enums.js";
import type { Team as TeamRow, User as UserRow } from "../../db/generated/client.js";
import { Node } from "../../graphql/relay.js";

registerEnumType(Role, { name: "Role", description: "Roles of people who log in (partners and scripts use API tokens)." });

export type { TeamRow, UserRow };
export type UserSummary = Pick<UserRow, "id" | "email" | "name" | "role" | "teamId" | "active">;

@ObjectType({ implements: Node, description: "A person who logs in: rep, manager, head office or data steward." })
export class User extends Node {
  @Field() email!: string;
  @Field() name!: string;
  @Field(() => Role) role!: Role;
  @Field() active!: boolean;
}

@ObjectType({ implements: Node, description: "A sales team and its manager." })
export class Team extends Node {
  @Field() name!: string;
}
