import DataLoader from "dataloader";
import { contactScope } from "../../auth/row-scope.js";
import type { RequestContext } from "../../graphql/context.js";
import { loadChildrenByColumns, projectedKeyName, type ProjectedKey } from "../../graphql/projection.js";
import type { ContactRow } from "./contact.type.js";

/**
 * Contacts of each organisation (primary first, then by name), inside the viewer's scope, with the columns
 * the operation asks for (rows are partial when `columns` is set: see CONTACT_COLUMNS).
 */
function contactsOfOrganisations(includeLeft: boolean) {
  return (ctx: RequestContext) =>
    new DataLoader<ProjectedKey, ContactRow[], string>(
      (keys) =>
        loadChildrenByColumns(
          keys,
          async (organisationIds, columns) =>
            ctx.viewer
              ? ((await ctx.db.contact.findMany({
                  where: {
                    organisationId: { in: organisationIds },
                    ...(includeLeft ? {} : { leftCompanyAt: null }),
                    ...contactScope(ctx.viewer, ctx.today),
                  },
                  orderBy: [{ isPrimary: "desc" }, { lastName: "asc" }, { id: "asc" }],
                  ...(columns ? { select: columns } : {}),
                })) as ContactRow[])
              : [],
          (row) => row.organisationId,
        ),
      { cacheKeyFn: projectedKeyName },
    );
}

export const currentContactsByOrganisation = contactsOfOrganisations(false);
export const allContactsByOrganisation = contactsOfOrganisations(true);
