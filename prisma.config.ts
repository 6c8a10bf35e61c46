// Prisma 6.19 with its JS engine and a driver adapter: the only combination whose CLI creates and
// applies migrations without downloading a native schema engine (see shared/ENVIRONMENT.md).
// DATABASE_URL picks the database, and with it the schema and migrations: `file:` is SQLite
// (prisma/), `postgresql://` is PostgreSQL (prisma/postgresql/, derived from the same model).
import { defineConfig } from "prisma/config";
import { createMigrationAdapter, databaseProvider } from "./app/db/adapter.server";

// prisma.config.ts turns off Prisma's own .env loading, and the schema reads env("DATABASE_URL"):
// without a value every CLI command (generate included) falls back to downloading a native engine,
// which fails offline. Default it to the app's own default.
process.env.DATABASE_URL ||= "file:./data/app.sqlite";
const folder = databaseProvider(process.env.DATABASE_URL) === "postgresql" ? "prisma/postgresql" : "prisma";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: `${folder}/schema.prisma`,
  migrations: { path: `${folder}/migrations` },
  async adapter() {
    return createMigrationAdapter(process.env.DATABASE_URL!);
  },
});
