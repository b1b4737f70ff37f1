// The signing key ring. JWT_KEYS when it is set (required in production); otherwise a key this
// installation generated on its first start and keeps beside its data, so that no key lives in the source,
// tokens survive restarts, and a token of one installation is refused by every other one.
import { randomBytes } from "node:crypto";
import { chmod, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { MIN_SECRET_BYTES, type Config, type JwtKeyRing } from "../config/config.js";
import type { Database } from "../db/client.js";

/** kid of the generated key: it never leaves the installation, so one name is enough. */
export const INSTALLATION_KID = "installation";
/** file of the generated key in DATA_DIR (embedded database) */
export const INSTALLATION_KEY_FILE = "jwt-signing-key";
/** row of the generated key in InstallationSecret (PostgreSQL server, or an in-memory database) */
const SECRET_NAME = "jwt-signing-key";

export interface ResolvedKeyRing {
  keyRing: JwtKeyRing;
  /** where the generated key is kept; null when the keys come from JWT_KEYS */
  generatedKeyLocation: string | null;
}

const newSecret = () => randomBytes(48).toString("base64url");

function checked(secret: string, where: string): string {
  if (Buffer.byteLength(secret) < MIN_SECRET_BYTES) throw new Error(`the signing key in ${where} is shorter than ${MIN_SECRET_BYTES} bytes; delete it to generate a new one`);
  return secret;
}

/** Creates the key file if absent (exclusive create: a concurrent starter reads the winner's key), mode 0600. */
async function keyFromFile(dataDir: string): Promise<{ secret: string; location: string }> {
  const file = path.join(dataDir, INSTALLATION_KEY_FILE);
  try {
    await writeFile(file, `${newSecret()}\n`, { flag: "wx", mode: 0o600 });
    await chmod(file, 0o600); // the umask may have cleared bits, never added: this only makes it explicit
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  return { secret: checked((await readFile(file, "utf8")).trim(), file), location: file };
}

/** INSERT … ON CONFLICT DO NOTHING, then read: concurrent instances all end up with the first key written. */
async function keyFromDatabase(database: Database): Promise<{ secret: string; location: string }> {
  await database.prisma.installationSecret.createMany({ data: [{ name: SECRET_NAME, value: newSecret() }], skipDuplicates: true });
  const row = await database.prisma.installationSecret.findUniqueOrThrow({ where: { name: SECRET_NAME } });
  const location = `the database (table InstallationSecret, row "${SECRET_NAME}")`;
  return { secret: checked(row.value, location), location };
}

/** Call once the database is open and migrated. */
export async function resolveKeyRing(config: Pick<Config, "jwtKeys">, database: Database): Promise<ResolvedKeyRing> {
  if (config.jwtKeys) return { keyRing: config.jwtKeys, generatedKeyLocation: null };
  const { target } = database;
  const { secret, location } = target.kind === "embedded" && target.dataDir ? await keyFromFile(target.dataDir) : await keyFromDatabase(database);
  return { keyRing: { keys: new Map([[INSTALLATION_KID, secret]]), activeKid: INSTALLATION_KID }, generatedKeyLocation: location };
}
