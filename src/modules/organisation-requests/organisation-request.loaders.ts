import DataLoader from "dataloader";
import { groupByKey, indexByKey, type RequestContext } from "../../graphql/context.js";
import type { DuplicateCandidateRow } from "./duplicates.js";
import { requestScope } from "./organisation-request.scope.js";
import type { OrganisationRequestRow } from "./organisation-request.type.js";

/** Requests by id, inside the viewer's scope (null when missing or out of scope). */
export const requestById = (ctx: RequestContext) =>
  new DataLoader<string, OrganisationRequestRow | null, string>(async (ids) => {
    const rows = ctx.viewer ? await ctx.db.organisationRequest.findMany({ where: { id: { in: [...ids] }, ...requestScope(ctx.viewer) } }) : [];
    return indexByKey(ids, rows, (row) => row.id);
  });

export interface CandidateWithIdentity extends DuplicateCandidateRow {
  organisation: { id: string; name: string; city: string | null; postalCode: string | null; legalId: string | null; status: string };
}

/** Stored duplicate candidates of each request with the identity of the organisation, best first (one query). */
export const candidatesByRequest = (ctx: RequestContext) =>
  new DataLoader<string, CandidateWithIdentity[], string>(async (requestIds) => {
    const rows = await ctx.db.requestDuplicateCandidate.findMany({
      where: { requestId: { in: [...requestIds] }, organisation: { mergedIntoId: null } },
      include: { organisation: { select: { id: true, name: true, city: true, postalCode: true, legalId: true, status: true } } },
      orderBy: [{ score: "desc" }, { organisationId: "asc" }],
    });
    return groupByKey(requestIds, rows, (row) => row.requestId);
  });

export interface RequestCandidateWithIdentity extends DuplicateCandidateRow {
  request: { id: string; name: string | null; city: string | null; postalCode: string | null };
}

/** Stored pending-request candidates of each request (those still pending), best first (one query). */
export const duplicateRequestsByRequest = (ctx: RequestContext) =>
  new DataLoader<string, RequestCandidateWithIdentity[], string>(async (requestIds) => {
    const rows = await ctx.db.requestDuplicateRequest.findMany({
      where: { requestId: { in: [...requestIds] }, candidate: { status: "PENDING" } },
      include: { candidate: { select: { id: true, name: true, city: true, postalCode: true } } },
      orderBy: [{ score: "desc" }, { candidateId: "asc" }],
    });
    return groupByKey(
      requestIds,
      rows.map((row) => ({ requestId: row.requestId, organisationId: row.candidateId, reasons: row.reasons, score: row.score, request: row.candidate })),
      (row) => row.requestId,
    );
  });
