// Prisma 6.19 with its JS engine and a driver adapter: the only combination whose CLI creates and
// applies migrations without downloading a native schema engine (see shared/ENVIRONMENT.md).
import { defineConfig } from "prisma/config";
import { createDriverAdapter } from "./app/db/adapter.server";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  async adapter() {
    return createDriverAdapter(databaseUrl());
  },
});

function databaseUrl(): string {
  // prisma.config.ts turns off Prisma's own .env loading, so fall back to the app's default here.
  return process.env.DATABASE_URL || "file:./data/app.sqlite";
}
