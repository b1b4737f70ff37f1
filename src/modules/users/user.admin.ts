// Users administration (head office): create, change, deactivate, reactivate; team managers; a user's own
// password. Validation and the first-user admin command (scripts/users-create.ts) share these definitions.
import { z } from "zod";
import { hashPassword, verifyPassword } from "../../auth/passwords.js";
import { isUserViewer } from "../../auth/viewer.js";
import type { Db } from "../../db/client.js";
import type { Prisma } from "../../db/generated/client.js";
import { Role } from "../../db/generated/enums.js";
import type { AuthedContext } from "../../graphql/context.js";
import { badInput, forbidden, notFound } from "../../errors/api-errors.js";
import { expectGlobalId } from "../../graphql/relay.js";
import { sentFields, validate } from "../../graphql/validation.js";
import { recordAudit, recordAuditBy } from "../audit/audit.service.js";
import { applyVersionedChange } from "../audit/versioned-change.js";
import { USER_FIELDS } from "./user.loaders.js";
import type { ChangePasswordInput, CreateUserInput, SetTeamManagerInput, TeamRow, UpdateUserInput, UserSummary, UserVersionInput } from "./user.type.js";

type Tx = Prisma.TransactionClient;

export const MIN_PASSWORD_LENGTH = 12;
/** The one password rule: API (createUser, changePassword) and admin command. */
export const Password = z.string().min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`).max(200, "must be at most 200 characters");

const UserFields = z.object({
  email: z.string().trim().toLowerCase().email("is not a valid email address").max(254),
  name: z.string().trim().min(1, "must not be empty").max(100),
  role: z.enum(Role),
  teamId: z.uuid().nullish(),
});
export const NewUser = UserFields.extend({ password: Password });
export type NewUser = z.infer<typeof NewUser>;
const UserChanges = UserFields.partial();

const teamIdOf = (globalId: string | null | undefined) => (globalId ? expectGlobalId(globalId, "Team") : globalId);

async function checkTeam(tx: Tx, teamId: string | null | undefined): Promise<void> {
  if (teamId && !(await tx.team.findUnique({ where: { id: teamId }, select: { id: true } }))) throw notFound("Team");
}

async function refuseTakenEmail(tx: Tx, email: string, exceptId?: string): Promise<void> {
  const taken = await tx.user.findUnique({ where: { email }, select: { id: true } });
  if (taken && taken.id !== exceptId) throw badInput("email is already used by another user", { fields: [{ field: "email" }] });
}

/** Creates a user with a hashed password and audits it: `actor` null when an admin command does it. */
export async function insertUser(db: Db, fields: NewUser, actor: { actorId: string | null; tokenJti: string | null }): Promise<UserSummary> {
  const passwordHash = await hashPassword(fields.password);
  return db.$transaction(async (tx) => {
    await refuseTakenEmail(tx, fields.email);
    await checkTeam(tx, fields.teamId);
    const user = await tx.user.create({
      data: { email: fields.email, name: fields.name, role: fields.role, teamId: fields.teamId ?? null, passwordHash },
      select: USER_FIELDS,
    });
    await recordAuditBy(tx, actor, { entity: "User", entityId: user.id, action: "create", after: user });
    return user;
  });
}

export function createUser(ctx: AuthedContext, input: CreateUserInput): Promise<UserSummary> {
  const fields = validate(NewUser, { ...input, teamId: teamIdOf(input.teamId) });
  return insertUser(ctx.db, fields, { actorId: isUserViewer(ctx.viewer) ? ctx.viewer.userId : null, tokenJti: null });
}

/** Every versioned change of a user; the token state cache is dropped since role, team and activity live in it. */
async function changeUser(
  ctx: AuthedContext,
  globalId: string,
  version: number,
  action: string,
  change: (before: UserSummary, tx: Tx) => Promise<Prisma.UserUncheckedUpdateManyInput>,
): Promise<UserSummary> {
  const id = expectGlobalId(globalId, "User");
  const after = await ctx.db.$transaction((tx: Tx) =>
    applyVersionedChange(tx, ctx.viewer, {
      entity: "User",
      action,
      version,
      find: (db) => db.user.findUnique({ where: { id }, select: USER_FIELDS }),
      change,
      table: (db) => db.user,
      select: USER_FIELDS,
    }),
  );
  ctx.forgetTokenState();
  return after;
}

/** A manager in charge of a team keeps the role until the team has another manager. */
async function refuseLeavingManagedTeam(tx: Tx, user: UserSummary, role: Role | undefined, active: boolean): Promise<void> {
  if (user.role !== "MANAGER" || (role === "MANAGER" && active)) return;
  const managed = await tx.team.findUnique({ where: { managerId: user.id }, select: { name: true } });
  if (managed) {
    throw badInput(`${user.email} manages team ${managed.name}: give the team another manager first (setTeamManager)`, { fields: [{ field: role === undefined ? "id" : "role" }] });
  }
}

export function updateUser(ctx: AuthedContext, input: UpdateUserInput): Promise<UserSummary> {
  const { id, version, ...rest } = input;
  const changes = sentFields(validate(UserChanges, { ...rest, teamId: teamIdOf(rest.teamId) }));
  for (const key of ["email", "name", "role"] as const) {
    if (key in changes && changes[key] == null) throw badInput(`${key} cannot be cleared`, { fields: [{ field: key }] });
  }
  return changeUser(ctx, id, version, "update", async (before, tx) => {
    if (changes.email) await refuseTakenEmail(tx, changes.email, before.id);
    await checkTeam(tx, changes.teamId);
    if (changes.role && changes.role !== "MANAGER") await refuseLeavingManagedTeam(tx, before, changes.role, true);
    return changes as Prisma.UserUncheckedUpdateManyInput;
  });
}

export function deactivateUser(ctx: AuthedContext, input: UserVersionInput): Promise<UserSummary> {
  return changeUser(ctx, input.id, input.version, "deactivate", async (before, tx) => {
    if (isUserViewer(ctx.viewer) && ctx.viewer.userId === before.id) throw badInput("You cannot deactivate yourself", { fields: [{ field: "id" }] });
    if (!before.active) throw badInput("This user is already deactivated", { fields: [{ field: "id" }] });
    await refuseLeavingManagedTeam(tx, before, undefined, false);
    return { active: false };
  });
}

export function reactivateUser(ctx: AuthedContext, input: UserVersionInput): Promise<UserSummary> {
  return changeUser(ctx, input.id, input.version, "reactivate", async (before) => {
    if (before.active) throw badInput("This user is active", { fields: [{ field: "id" }] });
    return { active: true };
  });
}

export async function setTeamManager(ctx: AuthedContext, input: SetTeamManagerInput): Promise<TeamRow> {
  const teamId = expectGlobalId(input.teamId, "Team");
  const managerId = input.managerId ? expectGlobalId(input.managerId, "User") : null;
  const team = await ctx.db.$transaction(async (tx) => {
    const before = await tx.team.findUnique({ where: { id: teamId } });
    if (!before) throw notFound("Team");
    if (managerId) {
      const manager = await tx.user.findUnique({ where: { id: managerId }, select: { role: true, active: true } });
      if (!manager) throw notFound("User");
      if (manager.role !== "MANAGER" || !manager.active) throw badInput("The manager must be an active user with role MANAGER", { fields: [{ field: "managerId" }] });
      const elsewhere = await tx.team.findFirst({ where: { managerId, id: { not: teamId } }, select: { name: true } });
      if (elsewhere) throw badInput(`This manager already manages team ${elsewhere.name}`, { fields: [{ field: "managerId" }] });
    }
    const after = await tx.team.update({ where: { id: teamId }, data: { managerId } });
    await recordAudit(tx, ctx.viewer, { entity: "Team", entityId: teamId, action: "setManager", before, after });
    return after;
  });
  ctx.forgetTokenState(); // a manager's team (and its reps) is part of their token state
  return team;
}

/** The logged-in user's own password: the current one is required. */
export async function changePassword(ctx: AuthedContext, input: ChangePasswordInput): Promise<UserSummary> {
  if (!isUserViewer(ctx.viewer)) throw forbidden("API tokens have no password");
  const { newPassword } = validate(z.object({ newPassword: Password }), { newPassword: input.newPassword });
  const userId = ctx.viewer.userId;
  // the current password is guessed here as at login: the same throttle, on the same account key
  const attempt = await ctx.loginThrottle.begin(ctx.viewer.email, ctx.clientIp);
  const stored = await ctx.db.user.findUnique({ where: { id: userId }, select: { passwordHash: true } });
  if (!stored?.passwordHash || !(await verifyPassword(input.currentPassword, stored.passwordHash))) {
    await attempt.failed();
    throw badInput("currentPassword is not the current password", { fields: [{ field: "currentPassword" }] });
  }
  await attempt.succeeded();
  if (input.currentPassword === newPassword) throw badInput("newPassword must differ from the current password", { fields: [{ field: "newPassword" }] });
  const passwordHash = await hashPassword(newPassword);
  const user = await ctx.db.$transaction(async (tx) => {
    // every session opened with the old password ends, this one too: tokens issued before now are refused
    const changed = await tx.user.update({ where: { id: userId }, data: { passwordHash, sessionsValidFrom: ctx.now }, select: USER_FIELDS });
    // the audit says that it changed, never what it changed to
    await recordAudit(tx, ctx.viewer, { entity: "User", entityId: userId, action: "changePassword" });
    return changed;
  });
  ctx.forgetTokenState();
  return user;
}
