import { Arg, Ctx, Field, Mutation, ObjectType, Resolver } from "type-graphql";
import type { RequestContext } from "../../graphql/context.js";
import { DateTimeScalar } from "../../graphql/scalars.js";
import { User, type UserSummary } from "../users/user.type.js";
import { login } from "./session.service.js";

@ObjectType()
export class LoginPayload {
  @Field({ description: "Bearer token for the Authorization header." }) token!: string;
  @Field(() => DateTimeScalar) expiresAt!: Date;
  @Field(() => User) user!: UserSummary;
}

@Resolver()
export class SessionResolver {
  @Mutation(() => LoginPayload, { description: "Logs in with email and password." })
  login(@Arg("email") email: string, @Arg("password") password: string, @Ctx() ctx: RequestContext): Promise<LoginPayload> {
    return login(ctx, ctx.jwt, email, password);
  }
}
