// The built-in login: email + password → a user JWT.
import { signUserToken, type JwtSettings } from "../../auth/jwt.js";
import { dummyPasswordHash, verifyPassword } from "../../auth/passwords.js";
import type { RequestContext } from "../../graphql/context.js";
import { ErrorCode, requestError } from "../../errors/api-errors.js";
import type { UserSummary } from "../users/user.type.js";

export interface LoginResult {
  token: string;
  expiresAt: Date;
  user: UserSummary;
}

/** The active user these credentials open, else null; always one hash comparison. */
async function checkCredentials(ctx: RequestContext, email: string, password: string) {
  const user = await ctx.db.user.findUnique({ where: { email: email.trim().toLowerCase() } });
  const valid = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash()));
  return user && user.active && user.passwordHash && valid ? user : null;
}

/**
 * Unknown e-mails, inactive users and wrong passwords get the same answer after the same work (a hash
 * comparison, against a dummy hash when there is none), and count alike towards the throttle (the account
 * key is the e-mail given), so that neither the answer nor its timing tells which e-mails exist.
 */
export async function login(ctx: RequestContext, jwt: JwtSettings, email: string, password: string): Promise<LoginResult> {
  const attempt = await ctx.loginThrottle.begin(email, ctx.clientIp);
  const user = await checkCredentials(ctx, email, password).catch(async (error: unknown) => {
    await attempt.abandoned();
    throw error;
  });
  if (!user) {
    await attempt.failed();
    throw requestError(ErrorCode.UNAUTHENTICATED, "Invalid email or password");
  }
  await attempt.succeeded();
  const { token, expiresAt } = signUserToken(jwt, user.id, ctx.now);
  return { token, expiresAt, user };
}
