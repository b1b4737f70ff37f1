import DataLoader from "dataloader";
import { contactScope } from "../../auth/row-scope.js";
import { groupByKey, type RequestContext } from "../../graphql/context.js";
import type { ContactRow } from "./contact.type.js";

/** Contacts of each organisation (primary first, then by name), inside the viewer's scope. */
function contactsOfOrganisations(includeLeft: boolean) {
  return (ctx: RequestContext) =>
    new DataLoader<string, ContactRow[], string>(async (organisationIds) => {
      const rows = ctx.viewer
        ? await ctx.db.contact.findMany({
            where: {
              organisationId: { in: [...organisationIds] },
              ...(includeLeft ? {} : { leftCompanyAt: null }),
              ...contactScope(ctx.viewer, ctx.today),
            },
            orderBy: [{ isPrimary: "desc" }, { lastName: "asc" }, { id: "asc" }],
          })
        : [];
      return groupByKey(organisationIds, rows, (row) => row.organisationId);
    });
}

export const currentContactsByOrganisation = contactsOfOrganisations(false);
export const allContactsByOrganisation = contactsOfOrganisations(true);
