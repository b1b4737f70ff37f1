// Demo records in a rep's portfolio on a day (the rep in charge of the organisation then), for tests that
// need "one of rep X's contacts" or "one of rep X's customers with an open deal".
import type { Db } from "../../src/db/client.js";
import { TODAY } from "./server.js";

const inChargeOn = (repEmail: string, day: Date) => ({
  mergedIntoId: null,
  assignments: { some: { rep: { email: repEmail }, validFrom: { lte: day }, OR: [{ validTo: null }, { validTo: { gt: day } }] } },
});

/** The first contact (by id) of an organisation in the rep's charge on `day`. */
export function contactInPortfolio(db: Db, repEmail: string, day = TODAY) {
  return db.contact.findFirstOrThrow({ where: { organisation: inChargeOn(repEmail, day) }, orderBy: { id: "asc" } });
}

/** The first organisation (by id) in the rep's charge today that has a contact and an open deal. */
export function customerWithOpenDeal(db: Db, repEmail: string) {
  return db.organisation.findFirstOrThrow({
    where: { ...inChargeOn(repEmail, TODAY), contacts: { some: {} }, opportunities: { some: { status: "OPEN" } } },
    orderBy: { id: "asc" },
  });
}
