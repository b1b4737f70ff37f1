// Read replicas (issue 21, part 5) against a real streaming replica: the test copies the PostgreSQL server
// of TEST_DATABASE_URL with pg_basebackup -R into a temporary directory, starts it on a free port, and
// serves GraphQL queries from it. Pausing the replica's replay freezes what it holds: a query by someone
// else then shows the old state (it was read on the replica) while the writer sees its own write (read-your-
// writes). A replica left behind past REPLICA_MAX_LAG_MS, or stopped, is not read and costs no error.
// On the embedded pass there is no PostgreSQL to copy: skipped, saying so. With TEST_DATABASE_URL set, a
// replica that cannot be built fails the file.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer as createNetServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import supertest from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/app/logger.js";
import { createServer, type AppServer } from "../../src/app/server.js";
import { openDatabase, type Database } from "../../src/db/client.js";
import { toGlobalId } from "../../src/graphql/relay.js";
import { connectTestRedis, releaseTestRedis } from "../support/redis.js";
import { startTestServer, type TestServer } from "../support/server.js";

const run = promisify(execFile);
const adminUrl = process.env.TEST_DATABASE_URL;
const redisUrl = process.env.TEST_REDIS_URL;
if (!adminUrl) {
  console.warn("replicas.test.ts: SKIPPED — a streaming replica is a copy of a PostgreSQL server, and this pass runs on the embedded database (set TEST_DATABASE_URL)");
}

/** A streaming replica of the server of TEST_DATABASE_URL, in its own temporary cluster. */
interface ReplicaCluster {
  port: number;
  /** the replica's URL of a database of the primary */
  urlOf(primaryDatabaseUrl: string): string;
  admin: pg.Client;
  stop(): Promise<void>;
  remove(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** pg_ctl refuses to run as root: as root, the cluster belongs to `postgres` and its tools run as that user. */
const asRoot = process.getuid?.() === 0;
const asOwner = (command: string, args: string[]) => (asRoot ? run("runuser", ["-u", "postgres", "--", command, ...args]) : run(command, args));

async function buildReplica(primaryUrl: string): Promise<ReplicaCluster> {
  const primary = new URL(primaryUrl);
  const user = decodeURIComponent(primary.username) || "postgres";
  const client = new pg.Client({ connectionString: primaryUrl });
  await client.connect();
  const settings = await client.query<{ name: string; setting: string }>(
    "SELECT name, setting FROM pg_settings WHERE name IN ('server_version_num', 'wal_level', 'max_wal_senders')",
  );
  await client.end();
  const setting = (name: string) => settings.rows.find((row) => row.name === name)?.setting ?? "";
  if (!["replica", "logical"].includes(setting("wal_level"))) throw new Error(`the primary's wal_level is ${setting("wal_level")}: a streaming replica needs replica or logical`);
  if (Number(setting("max_wal_senders")) < 2) throw new Error(`the primary's max_wal_senders is ${setting("max_wal_senders")}: pg_basebackup -X stream needs 2 free senders`);
  const major = Math.floor(Number(setting("server_version_num")) / 10_000);
  const bin = `/usr/lib/postgresql/${major}/bin`;
  if (!existsSync(path.join(bin, "pg_ctl"))) throw new Error(`no PostgreSQL ${major} server binaries in ${bin} (pg_basebackup, pg_ctl)`);

  const dir = mkdtempSync(path.join(tmpdir(), "crm-replica-"));
  const data = path.join(dir, "data");
  if (asRoot) chownSync(dir, Number((await run("id", ["-u", "postgres"])).stdout.trim()), Number((await run("id", ["-g", "postgres"])).stdout.trim()));
  const remove = async () => rmSync(dir, { recursive: true, force: true });
  const pgCtl = (...args: string[]) => asOwner(path.join(bin, "pg_ctl"), ["-D", data, ...args]);
  let started = false;
  try {
    await asOwner(path.join(bin, "pg_basebackup"), ["-h", primary.hostname, "-p", primary.port || "5432", "-U", user, "-D", data, "-R", "-X", "stream", "-c", "fast"]);
    // Debian keeps the configuration outside the data directory: the copy gets its own
    for (const [file, text] of [["postgresql.conf", ""], ["pg_ident.conf", ""], ["pg_hba.conf", "local all all trust\nhost all all 127.0.0.1/32 trust\n"]] as const) {
      const target = path.join(data, file);
      if (!existsSync(target) || file === "pg_hba.conf") writeFileSync(target, text);
    }
    if (asRoot) await run("chown", ["-R", "postgres:postgres", dir]);
    chmodSync(data, 0o700);
    const port = await freePort();
    started = true;
    await pgCtl("-l", path.join(dir, "log"), "-w", "-t", "120", "-o", `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c hot_standby=on`, "start");
    const urlOf = (databaseUrl: string) => {
      const url = new URL(databaseUrl);
      url.hostname = "127.0.0.1";
      url.port = String(port);
      return url.toString();
    };
    const admin = new pg.Client({ connectionString: urlOf(primaryUrl) });
    await admin.connect();
    let running = true;
    const stop = async () => {
      if (!running) return;
      running = false;
      await admin.end().catch(() => undefined);
      await pgCtl("-m", "immediate", "stop");
    };
    return { port, urlOf, admin, stop, remove: async () => (await stop(), await remove()) };
  } catch (error) {
    const detail = (error as { stderr?: string }).stderr?.trim() || (error as Error).message;
    if (started) await pgCtl("-m", "immediate", "stop").catch(() => undefined);
    await remove();
    throw new Error(
      `TEST_DATABASE_URL is set but no streaming replica of it could be built (${detail}). ` +
        "The primary needs wal_level=replica, free WAL senders and a pg_hba.conf line such as `host replication all 127.0.0.1/32 trust` (.ci/run adds it).",
    );
  }
}

/** Polls `check` until it holds (the replica and the checks run on their own schedule). */
async function eventually(what: string, check: () => Promise<boolean>): Promise<void> {
  for (let attempt = 0; attempt < 600; attempt++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`never happened: ${what}`);
}

interface ReadyBody {
  ready: boolean;
  replicas?: { name: string; state: string; lagMs: number | null }[];
}

const replicaState = async (server: AppServer) => ((await supertest(server.app).get("/ready")).body as ReadyBody).replicas?.[0]?.state;

async function replicaStatements(server: AppServer, target: "primary" | "replica"): Promise<number> {
  const text = (await supertest(server.app).get("/metrics")).text;
  const line = text.split("\n").find((l) => l.startsWith(`db_read_statements_total{target="${target}"}`));
  return line ? Number(line.split(" ").at(-1)) : 0;
}

const NAME = `query($id: ID!) { organisation(id: $id) { name } }`;
const RENAME = `mutation($input: UpdateOrganisationInput!) { updateOrganisation(input: $input) { organisation { name version } } }`;

describe.skipIf(!adminUrl)("GraphQL queries on a streaming replica (pg_basebackup -R)", () => {
  let replica: ReplicaCluster | undefined;
  let t: TestServer;
  let steward: string;
  let headOffice: string;
  let orgId: string;
  let version: number;

  /** the organisation's name as `token` reads it through `server` */
  const nameSeenBy = async (token: string, server: AppServer = t.server) => {
    const response = await supertest(server.app)
      .post("/graphql")
      .set("authorization", `Bearer ${token}`)
      .send({ query: NAME, variables: { id: toGlobalId("Organisation", orgId) } });
    expect(response.body.errors).toBeUndefined();
    return response.body.data.organisation.name as string;
  };
  const rename = async (name: string) => {
    const renamed = await t.gql<{ updateOrganisation: { organisation: { name: string; version: number } } }, unknown>(
      RENAME,
      { input: { id: toGlobalId("Organisation", orgId), version, name } },
      steward,
    );
    expect(renamed.errors).toBeUndefined();
    version = renamed.data!.updateOrganisation.organisation.version;
  };
  const replay = (action: "pause" | "resume") => replica!.admin.query(`SELECT pg_wal_replay_${action}()`);

  beforeAll(async () => {
    replica = await buildReplica(adminUrl!);
    // a wide window: the replica, however far its replay is paused, stays in use for this server
    t = await startTestServer({ env: { REPLICA_MAX_LAG_MS: "600000" }, replicaUrls: (url) => [replica!.urlOf(url)] });
    steward = await t.login("data.steward@demo.test");
    headOffice = await t.login("head.office@demo.test");
    const org = await t.database.prisma.organisation.findFirstOrThrow({ where: { status: "CLIENT", mergedIntoId: null }, orderBy: { name: "asc" } });
    orgId = org.id;
    version = org.version;
    await eventually("the replica is in use", async () => (await replicaState(t.server)) === "in use");
  });

  afterAll(async () => {
    await t?.close();
    await replica?.remove();
  });

  it("a query by someone else reads the replica's state; the writer reads its own write", async () => {
    const before = await nameSeenBy(headOffice);
    await eventually("a query is served by the replica", async () => (await nameSeenBy(headOffice), (await replicaStatements(t.server, "replica")) > 0));
    await replay("pause");
    try {
      await rename("Renamed while the replica waits");
      // The head office has not written: its query is the replica's, which has not replayed the rename.
      const replicaBefore = await replicaStatements(t.server, "replica");
      expect(await nameSeenBy(headOffice)).toBe(before);
      expect(await replicaStatements(t.server, "replica")).toBeGreaterThan(replicaBefore);
      // The steward wrote: its reads are the primary's for the window, so it sees its change.
      expect(await nameSeenBy(steward)).toBe("Renamed while the replica waits");
      // ... and so does the mutation's own payload (the primary's, in the mutation's transaction).
    } finally {
      await replay("resume");
    }
    await eventually("the replica replays the rename", async () => (await nameSeenBy(headOffice)) === "Renamed while the replica waits");
  });

  describe("a replica further behind than REPLICA_MAX_LAG_MS", () => {
    let database: Database;
    let strict: AppServer;

    beforeAll(async () => {
      const target = t.database.target;
      if (target.kind !== "server") throw new Error("a PostgreSQL server database was expected");
      const config = { ...t.config, REPLICA_MAX_LAG_MS: 50 };
      database = await openDatabase({ ...target, poolSize: 2, replicas: { urls: [replica!.urlOf(target.url)], maxLagMs: 50 } });
      strict = await createServer({ config, database, logger: createLogger("silent"), keyRing: t.keyRing, clock: () => t.clock.now });
      await eventually("the replica is in use", async () => (await replicaState(strict)) === "in use");
    });

    afterAll(async () => {
      await strict?.stop();
      await database?.close();
    });

    it("is not read: queries go to the primary until it catches up", async () => {
      await replay("pause");
      try {
        await rename("Renamed past the allowed lag");
        await eventually("the paused replica is seen lagging", async () => (await replicaState(strict)) === "lagging");
        // the replica still holds the old name, the head office reads the new one: the primary's
        const onReplica = new pg.Client({ connectionString: replica!.urlOf(database.target.kind === "server" ? database.target.url : "") });
        await onReplica.connect();
        const held = await onReplica.query<{ name: string }>(`SELECT name FROM "Organisation" WHERE id = $1`, [orgId]).finally(() => onReplica.end());
        expect(held.rows[0]?.name).not.toBe("Renamed past the allowed lag");
        expect(await nameSeenBy(headOffice, strict)).toBe("Renamed past the allowed lag");
      } finally {
        await replay("resume");
      }
      await eventually("the replica is in use again", async () => (await replicaState(strict)) === "in use");
    });
  });

  describe.skipIf(!redisUrl)("read-your-writes across instances (REDIS_URL)", () => {
    const prefix = `crm-replicas-${randomBytes(4).toString("hex")}`;
    const instances: { database: Database; server: AppServer }[] = [];

    beforeAll(async () => {
      const target = t.database.target;
      if (target.kind !== "server") throw new Error("a PostgreSQL server database was expected");
      const config = { ...t.config, REDIS_URL: redisUrl, RATE_LIMIT_KEY_PREFIX: prefix };
      for (let i = 0; i < 2; i++) {
        const database = await openDatabase({ ...target, poolSize: 2, replicas: { urls: [replica!.urlOf(target.url)], maxLagMs: 600_000 } });
        const server = await createServer({ config, database, logger: createLogger("silent"), keyRing: t.keyRing, clock: () => t.clock.now });
        instances.push({ database, server });
        await eventually("the replica is in use", async () => (await replicaState(server)) === "in use");
      }
    });

    afterAll(async () => {
      for (const { server, database } of instances) {
        await server.stop();
        await database.close();
      }
      await releaseTestRedis(await connectTestRedis(redisUrl!), prefix);
    });

    it("a write through one instance sends the writer's reads on the other to the primary", async () => {
      const [first, second] = instances.map((instance) => instance.server) as [AppServer, AppServer];
      const before = await nameSeenBy(headOffice, second);
      await replay("pause");
      try {
        const renamed = await supertest(first.app)
          .post("/graphql")
          .set("authorization", `Bearer ${steward}`)
          .send({ query: RENAME, variables: { input: { id: toGlobalId("Organisation", orgId), version, name: "Renamed through the first instance" } } });
        expect(renamed.body.errors).toBeUndefined();
        version = renamed.body.data.updateOrganisation.organisation.version;
        expect(await nameSeenBy(steward, second)).toBe("Renamed through the first instance");
        expect(await nameSeenBy(headOffice, second)).toBe(before); // the replica's, paused before the rename
      } finally {
        await replay("resume");
      }
    });
  });

  describe("a replica that stops", () => {
    let database: Database;
    let server: AppServer;

    beforeAll(async () => {
      const target = t.database.target;
      if (target.kind !== "server") throw new Error("a PostgreSQL server database was expected");
      // checked by hand only: the replica is still deemed in use when it stops, so statements meet it down
      database = await openDatabase({ ...target, poolSize: 2, replicas: { urls: [replica!.urlOf(target.url)], maxLagMs: 600_000, checkIntervalMs: 3_600_000 } });
      server = await createServer({ config: t.config, database, logger: createLogger("silent"), keyRing: t.keyRing, clock: () => t.clock.now });
    });

    afterAll(async () => {
      await server?.stop();
      await database?.close();
    });

    it("costs no error: its statements are retried on the primary, then it is not read until it is back", async () => {
      await rename("Renamed before the replica stops");
      await eventually("the replica has replayed the rename", async () => (await database.replicas!.check(), (await nameSeenBy(headOffice, server)) === "Renamed before the replica stops"));
      expect(await replicaState(server)).toBe("in use");
      const replicaReads = await replicaStatements(server, "replica");
      expect(replicaReads).toBeGreaterThan(0);

      await replica!.stop();
      expect(await replicaState(server)).toBe("in use"); // not checked since
      expect(await nameSeenBy(headOffice, server)).toBe("Renamed before the replica stops");
      expect(await replicaStatements(server, "primary")).toBeGreaterThan(0);
      expect(await replicaStatements(server, "replica")).toBe(replicaReads);

      await database.replicas!.check();
      expect(await replicaState(server)).toBe("down");
      expect(await nameSeenBy(headOffice, server)).toBe("Renamed before the replica stops");
      const ready = await supertest(server.app).get("/ready");
      expect(ready.status).toBe(200);
      expect(ready.body).toMatchObject({ ready: true, database: "up", replicas: [{ state: "down" }] });
      // the server of the other tests finds it down on its own checks
      await eventually("the other server sees the replica down", async () => (await replicaState(t.server)) === "down");
      expect(await nameSeenBy(headOffice)).toBe("Renamed before the replica stops");
    });
  });
});
