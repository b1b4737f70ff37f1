// The peer: PostGraphile v5 (amber preset) serving the same tables (schema "public", plus the SQL functions
// of schema bench_peer, see operations.ts) over HTTP, run as
// a child process of the benchmark so that its RSS is measured on its own.
//   DATABASE_URL=… PORT=… node dist/bench/postgraphile-server.js
import "./node20-polyfills.js";
import { createServer } from "node:http";
import { postgraphile } from "postgraphile";
import { makePgService } from "postgraphile/adaptors/pg";
import { grafserv } from "postgraphile/grafserv/node";
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";

const connectionString = process.env.DATABASE_URL;
const port = Number(process.env.PORT ?? 5678);
if (!connectionString) throw new Error("DATABASE_URL is required");

const preset: GraphileConfig.Preset = {
  extends: [PostGraphileAmberPreset],
  pgServices: [makePgService({ connectionString, schemas: ["public", "bench_peer"], poolConfig: { max: 10 } })],
  grafserv: { port, graphqlPath: "/graphql", watch: false },
  grafast: { explain: false },
};

const pgl = postgraphile(preset);
const serv = pgl.createServ(grafserv);
const server = createServer();
serv.addTo(server).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
server.listen(port, () => console.log(`postgraphile ready on ${port}`));
const stop = () => {
  server.close();
  void Promise.resolve(pgl.release()).finally(() => process.exit(0));
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
