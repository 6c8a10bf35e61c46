import type { PrismaClient } from "@prisma/client";
import { config } from "./config.server";
import { createPrismaClient } from "./db/client.server";

declare global {
  // Survives Vite's module reloads in development so we keep one connection pool.
  var prismaGlobal: PrismaClient | undefined;
}

const prisma = global.prismaGlobal ?? createPrismaClient(config().databaseUrl, { poolSize: config().databasePoolSize });
if (config().env !== "production") global.prismaGlobal = prisma;

export default prisma;
