import { PrismaClient } from "@prisma/client";
import { config } from "./config.server";
import { createDriverAdapter } from "./db/adapter.server";

declare global {
  // Survives Vite's module reloads in development so we keep one connection pool.
  var prismaGlobal: PrismaClient | undefined;
}

export function createPrismaClient(databaseUrl: string): PrismaClient {
  return new PrismaClient({ adapter: createDriverAdapter(databaseUrl) });
}

const prisma = global.prismaGlobal ?? createPrismaClient(config().databaseUrl);
if (config().env !== "production") global.prismaGlobal = prisma;

export default prisma;
