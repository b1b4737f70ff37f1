// Reading a Prometheus scrape of /metrics in tests.
import type { TestServer } from "./server.js";

export const scrapeMetrics = async (t: TestServer, token?: string) => {
  const request = t.http.get("/metrics");
  if (token) request.set("authorization", `Bearer ${token}`);
  return request;
};

/** The value of one sample line (`name{labels} value`), or null when the scrape has no such line. */
export function metricSample(text: string, name: string, labels: Record<string, string>): number | null {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  for (const line of text.split("\n")) {
    const match = /^([a-zA-Z_:][\w:]*)\{(.*)\} (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = match[2].split(",");
    if (wanted.every((pair) => present.includes(pair))) return Number(match[3]);
  }
  return null;
}
