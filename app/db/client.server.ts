import { createRequire } from "node:module";
import { Prisma, PrismaClient } from "@prisma/client";
import { createDriverAdapter, databaseProvider, type DriverAdapterOptions } from "./adapter.server";

/**
 * Prisma generates one client per database provider from the same model: `@prisma/client` for
 * SQLite and `.prisma/client-postgresql` (prisma/postgresql/schema.prisma) for PostgreSQL. Their
 * query APIs are the same; the app is typed against the SQLite one, the narrower of the two.
 */
type PrismaModule = { PrismaClient: typeof PrismaClient; Prisma: typeof Prisma };

// A plain require keeps the PostgreSQL client out of Vite's server bundle and out of SQLite
// deployments' start-up; `.prisma/client-postgresql` resolves through node_modules like `.prisma/client`.
const requireFromHere = createRequire(import.meta.url);
const postgresqlModule = () => requireFromHere(".prisma/client-postgresql") as PrismaModule;

// Each generated client carries its own copy of Prisma's runtime, so raw-SQL fragments must be
// built with the helpers of the client that runs them.
const helpersByClient = new WeakMap<PrismaClient, SqlHelpers>();

export type SqlHelpers = Pick<typeof Prisma, "sql" | "join">;

/** A Prisma client for a database URL; the app's own instance lives in db.server.ts. */
export function createPrismaClient(databaseUrl: string, options: DriverAdapterOptions = {}): PrismaClient {
  const adapter = createDriverAdapter(databaseUrl, options);
  const module: PrismaModule = databaseProvider(databaseUrl) === "postgresql" ? postgresqlModule() : { PrismaClient, Prisma };
  const client = new module.PrismaClient({ adapter });
  helpersByClient.set(client, { sql: module.Prisma.sql, join: module.Prisma.join });
  return client;
}

/** `Prisma.sql` and `Prisma.join` of the runtime behind this client. */
export function sqlHelpers(db: PrismaClient): SqlHelpers {
  return helpersByClient.get(db) ?? { sql: Prisma.sql, join: Prisma.join };
}

/** A unique constraint refused the write (Prisma's P2002), whichever generated client raised it. */
export function isUniqueConstraintViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002";
}
