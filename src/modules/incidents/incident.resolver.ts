import type { GraphQLResolveInfo } from "graphql";
import { Arg, Args, Ctx, FieldResolver, ID, Info, Mutation, Query, Resolver, Root } from "type-graphql";
import type { AuthedContext } from "../../graphql/context.js";
import { objectColumns } from "../../graphql/projection.js";
import { PageArgs, toGlobalId } from "../../graphql/relay.js";
import { ImportPayload } from "../orders/order.type.js";
import { loadOrganisation } from "../organisations/organisation.service.js";
import { Organisation, ORGANISATION_COLUMNS, type OrganisationRow } from "../organisations/organisation.type.js";
import { importIncidents, incidentsOfOrganisation, listIncidents } from "./incident.service.js";
import { ImportIncidentsInput, Incident, IncidentConnection, IncidentFilter, IncidentOrder, type IncidentRow } from "./incident.type.js";

@Resolver(() => Incident)
export class IncidentResolver {
  @Query(() => IncidentConnection, {
    description: "Incidents of the organisations the viewer may see (open ones first); a service token with incidents:import reads back every incident.",
  })
  incidents(
    @Args(() => PageArgs) page: PageArgs,
    @Arg("filter", () => IncidentFilter, { nullable: true }) filter: IncidentFilter | null,
    @Arg("orderBy", () => IncidentOrder, { nullable: true }) orderBy: IncidentOrder | null,
    @Ctx() ctx: AuthedContext,
  ) {
    return listIncidents(ctx, filter, orderBy, page);
  }

  @Mutation(() => ImportPayload, {
    description: "Imports incidents from support or logistics (≤ 1 000 rows), idempotent by external id: a known incident with other values (resolved, re-opened…) is UPDATED.",
  })
  importIncidents(@Arg("input", () => ImportIncidentsInput) input: ImportIncidentsInput, @Ctx() ctx: AuthedContext) {
    return importIncidents(ctx, input.rows);
  }

  @FieldResolver(() => ID)
  id(@Root() incident: IncidentRow): string {
    return toGlobalId("Incident", incident.id);
  }

  @FieldResolver(() => Organisation, { nullable: true, description: "Null when outside the viewer's scope." })
  organisation(@Root() incident: IncidentRow, @Ctx() ctx: AuthedContext, @Info() info: GraphQLResolveInfo) {
    return loadOrganisation(ctx, incident.organisationId, objectColumns(info, ORGANISATION_COLUMNS));
  }
}

/** Organisation.incidents lives here: the incidents module owns it. */
@Resolver(() => Organisation)
export class OrganisationIncidentsResolver {
  @FieldResolver(() => IncidentConnection, { description: "The organisation's incidents (open ones first, then newest first by default)." })
  incidents(
    @Root() organisation: OrganisationRow,
    @Args(() => PageArgs) page: PageArgs,
    @Arg("filter", () => IncidentFilter, { nullable: true }) filter: IncidentFilter | null,
    @Arg("orderBy", () => IncidentOrder, { nullable: true }) orderBy: IncidentOrder | null,
    @Ctx() ctx: AuthedContext,
  ) {
    return incidentsOfOrganisation(ctx, organisation.id, filter, orderBy, page);
  }
}
