import type { PrismaClient } from "@prisma/client";
import type { Redis } from "ioredis";
import { whenReady } from "../queues/redis.server";

export type HealthReport = {
  status: "ok" | "degraded";
  database: { ok: boolean; latencyMs?: number; error?: string };
  redis: { ok: boolean; latencyMs?: number; error?: string };
};

const CHECK_TIMEOUT_MS = 1_000;

async function timed(check: () => Promise<unknown>, unavailable: string) {
  const started = performance.now();
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => setTimeout(() => reject(new Error("timed out")), CHECK_TIMEOUT_MS).unref()),
    ]);
    return { ok: true, latencyMs: Math.round(performance.now() - started) };
  } catch {
    return { ok: false, error: unavailable };
  }
}

/** Whether the two things every request depends on answer right now. */
export async function checkHealth({ db, redis }: { db: PrismaClient; redis: Redis }): Promise<HealthReport> {
  const [database, redisState] = await Promise.all([
    timed(() => db.$queryRaw`SELECT 1`, "The database did not answer."),
    // The web process's Redis connection has no offline queue, so a check that arrives while it is
    // still connecting (just after start-up) would fail at once; give it the same grace ingest gets.
    timed(async () => {
      await whenReady(redis, CHECK_TIMEOUT_MS);
      await redis.ping();
    }, "Redis did not answer."),
  ]);
  return { status: database.ok && redisState.ok ? "ok" : "degraded", database, redis: redisState };
}
