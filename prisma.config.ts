import { defineConfig } from "prisma/config";

// Only the CLI reads this file; the server builds its own client from src/db.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost/unused" },
});
