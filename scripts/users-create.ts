// `npm run users:create -- --email ada@example.com --role HEAD_OFFICE [--name "Ada Lovelace"] [--team North]`
// Creates a user on the configured database (migrated first if needed), e.g. the first head-office user of a
// production database, which never gets the demo accounts. The password is read from standard input when it
// is piped (`printf '%s' "$PASSWORD" | npm run users:create -- …`); with a terminal or an empty input a
// random one-time password is generated and printed once, to be changed at once with changePassword.
import "reflect-metadata";
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { prepareDatabase } from "../src/app/bootstrap.js";
import { createLogger } from "../src/app/logger.js";
import { ConfigError, loadConfig } from "../src/config/config.js";
import { openDatabase } from "../src/db/client.js";
import { databaseTargetFromConfig } from "../src/db/database-from-config.js";
import { DomainError } from "../src/errors/api-errors.js";
import { validate } from "../src/graphql/validation.js";
import { insertUser, NewUser } from "../src/modules/users/user.admin.js";

const USAGE = 'usage: npm run users:create -- --email <email> --role <REP|MANAGER|HEAD_OFFICE|DATA_STEWARD> [--name "<full name>"] [--team <team name>]';

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return "";
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8").replace(/\r?\n$/, "");
}

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ options: { email: { type: "string" }, role: { type: "string" }, name: { type: "string" }, team: { type: "string" } } }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (!values.email || !values.role) {
    console.error(USAGE);
    return 2;
  }
  const config = loadConfig();
  const piped = await readStdin();
  const generated = piped ? null : randomBytes(18).toString("base64url");
  const database = await openDatabase(databaseTargetFromConfig(config));
  try {
    await prepareDatabase(database, { seedDemo: false, logger: createLogger("warn") });
    let teamId: string | null = null;
    if (values.team) {
      const team = await database.prisma.team.findUnique({ where: { name: values.team }, select: { id: true } });
      if (!team) {
        console.error(`no team named "${values.team}"`);
        return 1;
      }
      teamId = team.id;
    }
    const fields = validate(NewUser, {
      email: values.email,
      name: values.name ?? values.email.split("@")[0],
      role: values.role,
      teamId,
      password: piped || generated,
    });
    const user = await insertUser(database.prisma, fields, { actorId: null, tokenJti: null });
    console.log(`created ${user.role} ${user.email} (${user.id})`);
    if (generated) console.log(`one-time password (shown once; change it with changePassword): ${generated}`);
    return 0;
  } finally {
    await database.close();
  }
}

main().then(
  (code) => process.exit(code), // the schema engine leaves a timer behind: exit explicitly once done
  (error: unknown) => {
    if (error instanceof ConfigError) console.error(error.message);
    else if (error instanceof DomainError) console.error(error.message);
    else console.error("users:create failed:", error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
