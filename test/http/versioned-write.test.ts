// The versioned-write guard without concurrency: a stale row reaches the guarded UPDATE … WHERE version =
// expected directly (the `find` returns what a writer read before another one committed), on the real
// database of the run — so the embedded pass, where parallel requests never overlap, catches a missing
// guard as well as the PostgreSQL pass. The racing requests themselves are in tasks.test.ts and pipeline.test.ts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UserViewer } from "../../src/auth/viewer.js";
import type { Prisma } from "../../src/db/generated/client.js";
import { applyVersionedChange } from "../../src/modules/audit/versioned-change.js";
import { startTestServer, type TestServer } from "../support/server.js";

type TaskRow = Prisma.TaskGetPayload<object>;

let t: TestServer;
let viewer: UserViewer;

beforeAll(async () => {
  t = await startTestServer({ seedDemo: false });
  const user = await t.database.prisma.user.create({ data: { email: "writer@test", name: "writer", role: "HEAD_OFFICE", passwordHash: "x" } });
  viewer = { kind: "HEAD_OFFICE", userId: user.id, email: user.email, teamId: null, teamRepIds: [] };
});
afterAll(() => t?.close());

/** A task, the snapshot a first writer read, and a second writer's committed change after that read. */
async function readThenOvertaken() {
  const db = t.database.prisma;
  const created = await db.task.create({ data: { kind: "CALL", title: "original" } });
  const snapshot = await db.task.findUniqueOrThrow({ where: { id: created.id } });
  await db.task.update({ where: { id: created.id }, data: { title: "second writer", version: { increment: 1 } } });
  return snapshot;
}

function change(snapshot: TaskRow, version: number | null, still?: Record<string, unknown>) {
  return t.database.prisma.$transaction((tx) =>
    applyVersionedChange(tx, viewer, {
      entity: "Task",
      action: "update",
      version,
      find: async () => snapshot,
      table: (db) => db.task,
      still,
      change: () => ({ title: "first writer" }),
    }),
  );
}

const audits = (entityId: string) => t.database.prisma.auditEvent.count({ where: { entity: "Task", entityId } });

describe("the guarded statement refuses a stale version by itself", () => {
  it("a stale row and no client version (a change the server applies): CONFLICT, the second writer's change stays, no audit", async () => {
    const snapshot = await readThenOvertaken();
    await expect(change(snapshot, null)).rejects.toMatchObject({ extensions: { code: "CONFLICT", currentVersion: 1 } });
    expect(await t.database.prisma.task.findUniqueOrThrow({ where: { id: snapshot.id } })).toMatchObject({ title: "second writer", version: 2 });
    expect(await audits(snapshot.id)).toBe(0);
  });

  it("the client's version matches the stale row it was read with: CONFLICT all the same", async () => {
    const snapshot = await readThenOvertaken();
    await expect(change(snapshot, snapshot.version)).rejects.toMatchObject({ extensions: { code: "CONFLICT" } });
    expect(await t.database.prisma.task.findUniqueOrThrow({ where: { id: snapshot.id } })).toMatchObject({ title: "second writer", version: 2 });
  });

  it("a state the row must still be in, left since the read: CONFLICT", async () => {
    const db = t.database.prisma;
    const created = await db.task.create({ data: { kind: "CALL", title: "original" } });
    await db.task.update({ where: { id: created.id }, data: { status: "DONE" } }); // version unchanged
    await expect(change(created, created.version, { status: "OPEN" })).rejects.toMatchObject({ extensions: { code: "CONFLICT" } });
    expect(await db.task.findUniqueOrThrow({ where: { id: created.id } })).toMatchObject({ title: "original", status: "DONE", version: 1 });
  });

  it("a fresh row: written once, version + 1, audited with before and after", async () => {
    const db = t.database.prisma;
    const created = await db.task.create({ data: { kind: "CALL", title: "original" } });
    const after = await change(created, created.version, { status: "OPEN" });
    expect(after).toMatchObject({ id: created.id, title: "first writer", version: 2 });
    expect(await db.task.findUniqueOrThrow({ where: { id: created.id } })).toMatchObject({ title: "first writer", version: 2 });
    const [audit] = await db.auditEvent.findMany({ where: { entity: "Task", entityId: created.id } });
    expect(audit).toMatchObject({ action: "update", actorId: viewer.userId, before: { title: "original", version: 1 }, after: { title: "first writer", version: 2 } });
  });
});
