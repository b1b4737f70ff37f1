// Tokens for a permission matrix: users by login, partner and service tokens issued by head office.
import type { TestServer } from "./server.js";
import { TODAY } from "./server.js";

export type PrincipalSpec =
  | { login: string }
  | { partner: string[]; organisationIds: string[] }
  | { service: string[] }
  | "anonymous";

export async function issueToken(t: TestServer, input: Record<string, unknown>): Promise<string> {
  const response = await t.gql<{ issueApiToken?: { token: string } }, Record<string, unknown>>(
    `mutation($input: IssueApiTokenInput!) { issueApiToken(input: $input) { token } }`,
    { input },
    await t.login("head.office@demo.test"),
  );
  if (!response.data?.issueApiToken) throw new Error(JSON.stringify(response.errors));
  return response.data.issueApiToken.token;
}

/** label → bearer token (undefined for anonymous); partner tokens expire in 30 days. */
export async function principalTokens(t: TestServer, specs: Record<string, PrincipalSpec>): Promise<Map<string, string | undefined>> {
  const tokens = new Map<string, string | undefined>();
  const expiresAt = new Date(TODAY.getTime() + 30 * 86_400_000).toISOString();
  for (const [label, spec] of Object.entries(specs)) {
    if (spec === "anonymous") tokens.set(label, undefined);
    else if ("login" in spec) tokens.set(label, await t.login(spec.login));
    else if ("partner" in spec) tokens.set(label, await issueToken(t, { kind: "PARTNER", name: label, scopes: spec.partner, organisationIds: spec.organisationIds, expiresAt }));
    else tokens.set(label, await issueToken(t, { kind: "SERVICE", name: label, scopes: spec.service }));
  }
  return tokens;
}
