// What the referential seed hands to each area's seed; apart from demo-company.ts so the seeds do not import it back.
import type { Db } from "../db/client.js";
import type { Prisma } from "../db/generated/client.js";

export interface DemoCompany {
  today: Date;
  /** start of the demo history (18 months before today) */
  since: Date;
  userIds: ReadonlyMap<string, string>;
  teamIds: Readonly<Record<"North" | "South", string>>;
  territoryByRegion: ReadonlyMap<string, string>;
  gapTerritoryId: string;
  organisations: readonly Prisma.OrganisationCreateManyInput[];
  /** in creation order (ids are random: an order by id would differ between databases) */
  contacts: readonly Prisma.ContactCreateManyInput[];
  repByRegion: ReadonlyMap<string, string>;
}

/** Each area seeds its own data with its own seeded random stream, after the referential. */
export type AreaSeed = (db: Db, demo: DemoCompany) => Promise<void>;
