// The built-in login: email + password → a user JWT.
import { signUserToken, type JwtSettings } from "../../auth/jwt.js";
import { dummyPasswordHash, verifyPassword } from "../../auth/passwords.js";
import type { RequestContext } from "../../graphql/context.js";
import { ErrorCode, requestError } from "../../graphql/errors.js";
import type { UserSummary } from "../users/user.type.js";

export interface LoginResult {
  token: string;
  expiresAt: Date;
  user: UserSummary;
}

export async function login(ctx: RequestContext, jwt: JwtSettings, email: string, password: string): Promise<LoginResult> {
  const user = await ctx.db.user.findUnique({ where: { email: email.trim().toLowerCase() } });
  // Compare against a dummy hash when the user is unknown, so that timing does not reveal which emails exist.
  const valid = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash()));
  if (!user || !user.active || !user.passwordHash || !valid) {
    throw requestError(ErrorCode.UNAUTHENTICATED, "Invalid email or password");
  }
  const { token, expiresAt } = signUserToken(jwt, user.id, ctx.now);
  return { token, expiresAt, user };
}
