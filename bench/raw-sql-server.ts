// The floor: the same data as each operation, fetched with hand-written SQL through `pg` (one statement
// per read, JSON built by PostgreSQL) behind the thinnest HTTP server Node has. POST /op/<name> with the
// operation's parameters as JSON. Run as a child process of the benchmark (its RSS is measured alone).
//   DATABASE_URL=… PORT=… node dist/bench/raw-sql-server.js
import { createServer, type IncomingMessage } from "node:http";
import pg from "pg";

const connectionString = process.env.DATABASE_URL;
const port = Number(process.env.PORT ?? 5679);
if (!connectionString) throw new Error("DATABASE_URL is required");
const pool = new pg.Pool({ connectionString, max: Number(process.env.POOL_SIZE ?? 10) });

type Params = Record<string, unknown>;
type Handler = (params: Params) => Promise<{ body: unknown; statements: number }>;

const IN_FORCE = `a."validFrom" <= $2::date AND (a."validTo" IS NULL OR a."validTo" > $2::date)`;

const REP_HOME = (withOpportunities: boolean) => `
SELECT coalesce(json_agg(row_to_json(t)), '[]') AS body FROM (
  SELECT o.id, o.name, o.status, o.segment, o.category, o.city, o."postalCode",
    (SELECT json_build_object('id', c.id, 'firstName', c."firstName", 'lastName', c."lastName", 'email', c.email, 'phone', c.phone, 'roles', c.roles)
       FROM "Contact" c WHERE c."organisationId" = o.id AND c."leftCompanyAt" IS NULL
      ORDER BY c."isPrimary" DESC, c."lastName", c.id LIMIT 1) AS contact
    ${withOpportunities ? `, (SELECT coalesce(json_agg(x), '[]') FROM (
        SELECT p.id, p.name, p.status, p.amount, p.probability, p."expectedCloseDate", s.name AS stage
          FROM "Opportunity" p JOIN "PipelineStage" s ON s.id = p."stageId"
         WHERE p."organisationId" = o.id ORDER BY p.status, p."expectedCloseDate", p.id LIMIT 10) x) AS opportunities` : ""}
    FROM "Organisation" o
   WHERE o."mergedIntoId" IS NULL
     AND EXISTS (SELECT 1 FROM "OrganisationAssignment" a WHERE a."organisationId" = o.id AND a."repId" = $1::uuid AND ${IN_FORCE})
   ORDER BY o.name, o.id LIMIT 50) t`;

const ORGANISATION_PAGE = (withOpportunities: boolean, withTimeline: boolean) => `
SELECT json_build_object(
  'id', o.id, 'name', o.name, 'legalId', o."legalId", 'status', o.status, 'category', o.category, 'segment', o.segment, 'tags', o.tags,
  'phone', o.phone, 'email', o.email, 'street', o.street, 'postalCode', o."postalCode", 'city', o.city, 'region', o.region,
  'parent', (SELECT json_build_object('id', p.id, 'name', p.name) FROM "Organisation" p WHERE p.id = o."parentId"),
  'assignedRep', (SELECT json_build_object('id', u.id, 'name', u.name) FROM "OrganisationAssignment" a JOIN "User" u ON u.id = a."repId"
                   WHERE a."organisationId" = o.id AND a."validFrom" <= current_date AND (a."validTo" IS NULL OR a."validTo" > current_date)
                   ORDER BY a."validFrom" DESC LIMIT 1),
  'contacts', (SELECT coalesce(json_agg(c ORDER BY c."isPrimary" DESC, c."lastName", c.id), '[]') FROM (
                 SELECT id, "firstName", "lastName", "jobTitle", email, phone, roles, "isPrimary" FROM "Contact"
                  WHERE "organisationId" = o.id AND "leftCompanyAt" IS NULL ORDER BY "isPrimary" DESC, "lastName", id LIMIT 50) c)
  ${withOpportunities ? `, 'opportunities', (SELECT coalesce(json_agg(x), '[]') FROM (
        SELECT p.id, p.name, p.status, p.amount, p.probability, round(p.amount * p.probability / 100, 2) AS "weightedAmount", p."expectedCloseDate", s.name AS stage,
               (SELECT coalesce(json_agg(json_build_object('at', h.at, 'amount', h.amount, 'probability', h.probability) ORDER BY h.at, h.id), '[]')
                  FROM "OpportunityStageChange" h WHERE h."opportunityId" = p.id) AS "stageHistory"
          FROM "Opportunity" p JOIN "PipelineStage" s ON s.id = p."stageId"
         WHERE p."organisationId" = o.id ORDER BY p.status, p."expectedCloseDate", p.id LIMIT 50) x)` : ""}
  ${withTimeline ? `, 'timeline', (SELECT coalesce(json_agg(t), '[]') FROM (
        SELECT * FROM (
          SELECT 'VISIT' AS kind, v."plannedAt" AS at, v.status::text AS title FROM "Visit" v WHERE v."organisationId" = o.id
          UNION ALL SELECT 'OPPORTUNITY_STAGE_CHANGE', h.at, p.name FROM "OpportunityStageChange" h JOIN "Opportunity" p ON p.id = h."opportunityId" WHERE p."organisationId" = o.id
          UNION ALL SELECT 'QUOTE', q."createdAt", q.reference FROM "Quote" q JOIN "Opportunity" p ON p.id = q."opportunityId" WHERE p."organisationId" = o.id
          UNION ALL SELECT 'ORDER', r."orderedAt"::timestamp, r."externalId" FROM "Order" r WHERE r."organisationId" = o.id
          UNION ALL SELECT 'INCIDENT', i."openedAt", i.summary FROM "Incident" i WHERE i."organisationId" = o.id
          UNION ALL SELECT 'TASK', k."createdAt", k.title FROM "Task" k WHERE k."organisationId" = o.id
        ) feed ORDER BY at DESC LIMIT 20) t)` : ""}
) AS body FROM "Organisation" o WHERE o.id = $1::uuid`;

const PIPELINE_BOARD = `
SELECT coalesce(json_agg(row_to_json(t)), '[]') AS body FROM (
  SELECT p.id, p.name, p.amount, p.probability, round(p.amount * p.probability / 100, 2) AS "weightedAmount", p."expectedCloseDate",
         json_build_object('id', s.id, 'name', s.name) AS stage,
         json_build_object('id', o.id, 'name', o.name, 'city', o.city) AS organisation,
         json_build_object('id', u.id, 'name', u.name) AS owner
    FROM "Opportunity" p JOIN "PipelineStage" s ON s.id = p."stageId" JOIN "Organisation" o ON o.id = p."organisationId" JOIN "User" u ON u.id = p."ownerId"
   WHERE p.status = 'OPEN' AND o."mergedIntoId" IS NULL
     AND EXISTS (SELECT 1 FROM "OrganisationAssignment" a WHERE a."organisationId" = p."organisationId" AND a."repId" = ANY($1::uuid[]) AND ${IN_FORCE})
   ORDER BY p."expectedCloseDate", p.id LIMIT 200) t`;

const SEARCH = `
SELECT coalesce(json_agg(row_to_json(t)), '[]') AS body FROM (
  SELECT id, name, status, city, "postalCode" FROM "Organisation"
   WHERE "mergedIntoId" IS NULL AND "searchName" LIKE '%' || $1 || '%' ORDER BY name, id LIMIT 20) t`;

async function one(sql: string, values: unknown[]): Promise<{ body: unknown; statements: number }> {
  const result = await pool.query<{ body: unknown }>(sql, values);
  return { body: result.rows[0]?.body ?? null, statements: 1 };
}

const HANDLERS: Record<string, Handler> = {
  "rep-home": (p) => one(REP_HOME(p.opportunities === true), [p.repId, p.day]),
  "organisation-page": (p) => one(ORGANISATION_PAGE(p.opportunities === true, p.timeline === true), [p.organisationId]),
  "pipeline-board": (p) => one(PIPELINE_BOARD, [p.teamRepIds, p.day]),
  search: (p) => one(SEARCH, [String(p.text)]),
  "update-contact": (p) =>
    // what any careful write does: the change and its audit row in one transaction
    inTransaction(async (client) => {
      const updated = await client.query(
        `UPDATE "Contact" SET "jobTitle" = $2, version = version + 1, "updatedAt" = now() WHERE id = $1::uuid RETURNING id, "jobTitle", version`,
        [p.contactId, p.jobTitle],
      );
      await audit(client, "Contact", String(p.contactId), updated.rows[0]);
      return { body: updated.rows[0], statements: 4 };
    }),
  "move-stage": (p) =>
    inTransaction(async (client) => {
      const moved = await client.query(
        `UPDATE "Opportunity" SET "stageId" = $2::uuid, probability = $3, "stageEnteredAt" = now(), version = version + 1, "updatedAt" = now()
          WHERE id = $1::uuid RETURNING id, "stageId", amount, probability, version`,
        [p.opportunityId, p.stageId, p.probability],
      );
      const row = moved.rows[0];
      await client.query(
        `INSERT INTO "OpportunityStageChange" (id, "opportunityId", "toStageId", amount, probability) VALUES (gen_random_uuid(), $1::uuid, $2::uuid, $3, $4)`,
        [row.id, row.stageId, row.amount, row.probability],
      );
      await audit(client, "Opportunity", row.id, row);
      return { body: row, statements: 5 };
    }),
  "report-visit": (p) =>
    inTransaction(async (client) => {
      const reported = await client.query(
        `UPDATE "Visit" SET status = 'DONE', outcome = 'Commande probable', "reportNotes" = $2, "reportedAt" = COALESCE("reportedAt", now()), version = version + 1, "updatedAt" = now()
          WHERE id = $1::uuid RETURNING id, status, version`,
        [p.visitId, p.notes],
      );
      const task = await client.query(
        `INSERT INTO "Task" (id, kind, title, "dueDate", "visitId", "updatedAt") VALUES (gen_random_uuid(), 'FOLLOW_UP', $2, $3::date, $1::uuid, now()) RETURNING id`,
        [p.visitId, p.title, p.due],
      );
      await audit(client, "Visit", String(p.visitId), reported.rows[0]);
      return { body: { visit: reported.rows[0], followUpTasks: task.rows }, statements: 6 };
    }),
};

/** One transaction on one connection: what a careful write does (rolled back on any error). */
async function inTransaction(work: (client: pg.PoolClient) => Promise<{ body: unknown; statements: number }>) {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

function audit(client: pg.PoolClient, entity: string, entityId: string, after: unknown) {
  return client.query(`INSERT INTO "AuditEvent" (id, entity, "entityId", action, after) VALUES (gen_random_uuid(), $1, $2, 'UPDATE', $3::jsonb)`, [
    entity,
    entityId,
    JSON.stringify(after),
  ]);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

const server = createServer(async (req, res) => {
  if (req.url === "/health") return void res.end("ok");
  const handler = req.method === "POST" && req.url?.startsWith("/op/") ? HANDLERS[req.url.slice(4)] : undefined;
  if (!handler) return void res.writeHead(404).end();
  try {
    const { body, statements } = await handler(JSON.parse((await readBody(req)) || "{}") as Params);
    res.writeHead(200, { "content-type": "application/json", "x-sql-statements": String(statements) });
    res.end(JSON.stringify({ data: body }));
  } catch (error) {
    res.writeHead(500, { "content-type": "application/json" });
    res.end(JSON.stringify({ errors: [{ message: error instanceof Error ? error.message : String(error) }] }));
  }
});
server.listen(port, () => console.log(`raw SQL ready on ${port}`));
const stop = () => {
  server.close();
  void pool.end().finally(() => process.exit(0));
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
