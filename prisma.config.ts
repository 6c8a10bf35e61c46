// Prisma 6.19 with its JS engine and a driver adapter: the only combination whose CLI creates and
// applies migrations without downloading a native schema engine (see shared/ENVIRONMENT.md).
import { defineConfig } from "prisma/config";
import { createDriverAdapter } from "./app/db/adapter.server";

// prisma.config.ts turns off Prisma's own .env loading, and the schema reads env("DATABASE_URL"):
// without a value every CLI command (generate included) falls back to downloading a native engine,
// which fails offline. Default it to the app's own default.
process.env.DATABASE_URL ||= "file:./data/app.sqlite";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  async adapter() {
    return createDriverAdapter(process.env.DATABASE_URL!);
  },
});
