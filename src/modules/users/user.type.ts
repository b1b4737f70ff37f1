import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { Role } from "../../db/generated/enums.js";
import type { Team as TeamRow, User as UserRow } from "../../db/generated/client.js";
import { ConnectionType, Node } from "../../graphql/relay.js";
import { DateTimeScalar } from "../../graphql/scalars.js";

registerEnumType(Role, { name: "Role", description: "Roles of people who log in (partners and scripts use API tokens)." });

export type { TeamRow, UserRow };
export type UserSummary = Pick<UserRow, "id" | "email" | "name" | "role" | "teamId" | "active" | "version" | "createdAt">;

@ObjectType({ implements: Node, description: "A person who logs in: rep, manager, head office or data steward." })
export class User extends Node {
  @Field() email!: string;
  @Field() name!: string;
  @Field(() => Role) role!: Role;
  @Field({ description: "A deactivated user cannot log in, and their tokens are refused." }) active!: boolean;
  @Field(() => Int, { description: "Optimistic-concurrency version: send it back with updateUser, deactivateUser, reactivateUser." }) version!: number;
  @Field(() => DateTimeScalar) createdAt!: Date;
}

@ObjectType({ implements: Node, description: "A sales team and its manager." })
export class Team extends Node {
  @Field() name!: string;
}

export const UserConnection = ConnectionType(User, "User");

@InputType({ description: "All given criteria must hold. Default: active users only." })
export class UserFilter {
  @Field(() => String, { nullable: true, description: "Part of the name or email." }) text?: string | null;
  @Field(() => [Role], { nullable: true }) roles?: Role[] | null;
  @Field(() => ID, { nullable: true }) teamId?: string | null;
  @Field(() => Boolean, { nullable: true, description: "true: active only (default); false: deactivated only; null: both." }) active?: boolean | null;
}

@InputType()
export class CreateUserInput {
  @Field() email!: string;
  @Field() name!: string;
  @Field(() => Role) role!: Role;
  @Field(() => ID, { nullable: true, description: "Team of a rep (or of a manager's own membership)." }) teamId?: string | null;
  @Field({ description: "Initial password (at least 12 characters); the user changes it with changePassword." }) password!: string;
}

@InputType({ description: "Changes the fields sent; an explicit null teamId takes the user out of their team." })
export class UpdateUserInput {
  @Field(() => ID) id!: string;
  @Field(() => Int) version!: number;
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => String, { nullable: true }) email?: string | null;
  @Field(() => Role, { nullable: true }) role?: Role | null;
  @Field(() => ID, { nullable: true }) teamId?: string | null;
}

@InputType()
export class UserVersionInput {
  @Field(() => ID) id!: string;
  @Field(() => Int) version!: number;
}

@InputType({ description: "Who manages the team: an active MANAGER; null leaves the team without a manager." })
export class SetTeamManagerInput {
  @Field(() => ID) teamId!: string;
  @Field(() => ID, { nullable: true }) managerId?: string | null;
}

@InputType()
export class ChangePasswordInput {
  @Field() currentPassword!: string;
  @Field({ description: "At least 12 characters, different from the current one." }) newPassword!: string;
}

@ObjectType()
export class UserPayload {
  @Field(() => User, { nullable: true }) user!: UserSummary | null;
}

@ObjectType()
export class TeamPayload {
  @Field(() => Team, { nullable: true }) team!: TeamRow | null;
}
