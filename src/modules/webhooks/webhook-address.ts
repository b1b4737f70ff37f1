// Where a webhook may be sent (SSRF): never to a private, loopback, link-local or otherwise internal address
// in production unless WEBHOOK_ALLOWED_HOSTS lists the host; outside production loopback is allowed (a
// local receiver). Every address a host name resolves to is checked — at create/update, and again when
// sending, where the connection uses the very address checked (a DNS answer that changes in between
// cannot slip an internal address in).
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { BlockList, isIP } from "node:net";
import type { LookupFunction } from "node:net";
import { badInput } from "../../errors/api-errors.js";

export interface AddressPolicy {
  production: boolean;
  /** host names or IP literals (lower case) exempt from the check */
  allowedHosts: readonly string[];
}

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet("127.0.0.0", 8, "ipv4");
LOOPBACK.addAddress("::1", "ipv6");

/** Internal, reserved or non-unicast ranges (IANA special-purpose registries), loopback included. */
const INTERNAL = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const) INTERNAL.addSubnet(net, prefix, "ipv4");
for (const [net, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["64:ff9b::", 96], // NAT64: embeds any IPv4 address
  ["fc00::", 7],
  ["fe80::", 10],
  ["fec0::", 10],
  ["ff00::", 8],
] as const) INTERNAL.addSubnet(net, prefix, "ipv6");

/** The 8 groups of an IPv6 address (numbers), or null. */
function ipv6Groups(address: string): number[] | null {
  let text = address.toLowerCase().replace(/%.*$/, "");
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted[1]!.split(".").map(Number) as [number, number, number, number];
    text = `${text.slice(0, -dotted[1]!.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes("::") ? text.split("::") : [text, null];
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const missing = 8 - left.length - right.length;
  if (missing < 0 || (tail === null && missing !== 0)) return null;
  const groups = [...left, ...Array<string>(missing).fill("0"), ...right].map((g) => parseInt(g, 16));
  return groups.some((g) => Number.isNaN(g)) ? null : groups;
}

/** An IPv4-mapped IPv6 address (::ffff:a.b.c.d) as its IPv4 address; any other address as is. */
export function unmapped(address: string): { address: string; family: "ipv4" | "ipv6" } {
  if (isIP(address) === 4) return { address, family: "ipv4" };
  const groups = ipv6Groups(address);
  if (groups && groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    const [hi, lo] = [groups[6]!, groups[7]!];
    return { address: `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`, family: "ipv4" };
  }
  return { address, family: "ipv6" };
}

/** Why this address may not be called, or null when it may. */
export function refusalOf(policy: AddressPolicy, address: string): string | null {
  const ip = unmapped(address);
  if (!INTERNAL.check(ip.address, ip.family)) return null;
  if (!policy.production && LOOPBACK.check(ip.address, ip.family)) return null;
  return `${address} is a private, loopback, link-local or reserved address`;
}

const hostOf = (url: URL) => url.hostname.replace(/^\[|\]$/g, "").toLowerCase();

/** A subscription URL, parsed and checked: http(s), no credentials, a host that resolves to callable addresses. */
export async function checkWebhookUrl(policy: AddressPolicy, text: string): Promise<URL> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw badInput("url is not a valid URL", { field: "url" });
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw badInput("url must be http:// or https://", { field: "url" });
  if (url.username || url.password) throw badInput("url must not carry credentials", { field: "url" });
  if (text.length > 2048) throw badInput("url is longer than 2048 characters", { field: "url" });
  try {
    await resolveChecked(policy, hostOf(url));
  } catch (error) {
    throw badInput(`url refused: ${(error as Error).message}`, { field: "url" });
  }
  return url;
}

/** Every address of a host, refused when any of them may not be called (unless the host is allowed). */
async function resolveChecked(policy: AddressPolicy, host: string): Promise<LookupAddress[]> {
  const addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await new Promise<LookupAddress[]>((resolve, reject) => {
    dnsLookup(host, { all: true, verbatim: true }, (error, found) => (error ? reject(new Error(`cannot resolve ${host} (${error.code ?? error.message})`)) : resolve(found)));
  });
  if (!addresses.length) throw new Error(`${host} has no address`);
  if (policy.allowedHosts.includes(host)) return addresses;
  for (const { address } of addresses) {
    const refusal = refusalOf(policy, address);
    if (refusal) throw new Error(`${host} resolves to ${refusal} (list the host in WEBHOOK_ALLOWED_HOSTS to allow it)`);
  }
  return addresses;
}

/** A `lookup` for http.request: resolves, checks every address, and connects to the first one checked. */
export function guardedLookup(policy: AddressPolicy): LookupFunction {
  return (hostname, options, callback) => {
    resolveChecked(policy, hostname.replace(/^\[|\]$/g, "").toLowerCase()).then(
      (addresses) => {
        if ((options as { all?: boolean }).all) (callback as (e: null, a: LookupAddress[]) => void)(null, addresses);
        else callback(null, addresses[0]!.address, addresses[0]!.family);
      },
      (error: Error) => callback(Object.assign(error, { code: "EWEBHOOKREFUSED" }), "", 0),
    );
  };
}

/** For a URL whose host is an IP literal (no lookup happens when connecting): why it may not be called, or null. */
export function literalRefusal(policy: AddressPolicy, url: URL): string | null {
  const host = hostOf(url);
  if (!isIP(host) || policy.allowedHosts.includes(host)) return null;
  return refusalOf(policy, host);
}
