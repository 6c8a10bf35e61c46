import { PrismaClient } from "@prisma/client";
import { createDriverAdapter } from "./adapter.server";

/** A Prisma client for a database URL; the app's own instance lives in db.server.ts. */
export function createPrismaClient(databaseUrl: string): PrismaClient {
  return new PrismaClient({ adapter: createDriverAdapter(databaseUrl) });
}
