import prisma from "./db.server";
import { logger } from "./logger.instance.server";
import { producer, producerRedis } from "./queues/index.server";

declare global {
  var shutdownRegistered: boolean | undefined;
}

/** How long requests already in flight get to finish before connections close. */
const DRAIN_MS = 1_000;

/**
 * server.mjs stops accepting connections on SIGTERM/SIGINT but does not know about Redis or the
 * database, whose open connections would keep the process alive forever. Close them once in-flight
 * requests had their moment, so a deploy's SIGTERM really ends the process.
 */
export function closeConnectionsOnShutdown(): void {
  if (global.shutdownRegistered) return;
  global.shutdownRegistered = true;
  const shutdown = (signal: NodeJS.Signals) => {
    logger.info({ signal }, "web process stopping");
    setTimeout(async () => {
      await producer.close().catch(() => {});
      producerRedis.disconnect();
      await prisma.$disconnect().catch(() => {});
    }, DRAIN_MS).unref();
  };
  process.once("SIGTERM", shutdown);
  process.once("SIGINT", shutdown);
}
