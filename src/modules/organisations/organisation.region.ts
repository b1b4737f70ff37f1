// The region of an address, derived the same way everywhere an address is written (stewards' creations and
// corrections, approvals, requests, placement by the territory rules): a French postal code determines its
// département, hence its region (the 2016 regions); without one (or abroad), the region given, else the
// region of a known organisation at the same postal code, else in the same town.
import type { Prisma } from "../../db/generated/client.js";

const REGIONS: Record<string, readonly string[]> = {
  "Auvergne-Rhône-Alpes": ["01", "03", "07", "15", "26", "38", "42", "43", "63", "69", "73", "74"],
  "Bourgogne-Franche-Comté": ["21", "25", "39", "58", "70", "71", "89", "90"],
  Bretagne: ["22", "29", "35", "56"],
  "Centre-Val de Loire": ["18", "28", "36", "37", "41", "45"],
  Corse: ["20"],
  "Grand Est": ["08", "10", "51", "52", "54", "55", "57", "67", "68", "88"],
  "Hauts-de-France": ["02", "59", "60", "62", "80"],
  "Île-de-France": ["75", "77", "78", "91", "92", "93", "94", "95"],
  Normandie: ["14", "27", "50", "61", "76"],
  "Nouvelle-Aquitaine": ["16", "17", "19", "23", "24", "33", "40", "47", "64", "79", "86", "87"],
  Occitanie: ["09", "11", "12", "30", "31", "32", "34", "46", "48", "65", "66", "81", "82"],
  "Pays de la Loire": ["44", "49", "53", "72", "85"],
  "Provence-Alpes-Côte d'Azur": ["04", "05", "06", "13", "83", "84"],
  // overseas: the département is the first three digits
  Guadeloupe: ["971"],
  Martinique: ["972"],
  Guyane: ["973"],
  "La Réunion": ["974"],
  Mayotte: ["976"],
};
const REGION_BY_DEPARTEMENT = new Map(Object.entries(REGIONS).flatMap(([region, codes]) => codes.map((code) => [code, region] as const)));

/** The region a French postal code lies in; null for another country or a code that names no département. */
export function regionOfPostalCode(postalCode: string | null | undefined, country: string | null | undefined = "FR"): string | null {
  if ((country ?? "FR").toUpperCase() !== "FR") return null;
  const code = postalCode?.replace(/\s/g, "") ?? "";
  if (!/^\d{5}$/.test(code)) return null;
  return REGION_BY_DEPARTEMENT.get(code.startsWith("97") ? code.slice(0, 3) : code.slice(0, 2)) ?? null;
}

export interface Place {
  postalCode?: string | null;
  city?: string | null;
  country?: string | null;
  region?: string | null;
}

/** The region of a place: its postal code's, else the one given, else a known neighbour's (same postal code, else same town). */
export async function regionOf(db: Pick<Prisma.TransactionClient, "organisation">, place: Place): Promise<string | null> {
  const derived = regionOfPostalCode(place.postalCode, place.country);
  if (derived) return derived;
  if (place.region) return place.region;
  if (!place.postalCode && !place.city) return null;
  const neighbour = await db.organisation.findFirst({
    where: { region: { not: null }, ...(place.postalCode ? { postalCode: place.postalCode } : { city: { equals: place.city!, mode: "insensitive" } }) },
    select: { region: true },
  });
  return neighbour?.region ?? null;
}
