import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import { createOscarClient } from "../app/oscar/client.server";
import { OSCAR_RATE_LIMIT, createOscarRateLimiter } from "../app/oscar/rate-limit.server";
import { createLogger } from "../app/logger.server";
import { startOscarSimulator } from "../sim/oscar/server";

/**
 * Does the shared limiter hold Oscar's quota of 300 requests per minute per key, counted by
 * Oscar, while using nearly all of it? Four processes share one API key and send as fast as the
 * limiter lets them, through the real client and the real Redis limiter, to the simulator, which
 * counts arrivals and answers 429 past 300 in any rolling minute.
 *
 *   npx tsx bench/oscar-rate-limit.ts [seconds]     (or OSCAR_BENCH_SECONDS; default 120)
 *   REDIS_URL (default redis://127.0.0.1:6379)
 */

const PROCESSES = 4;
const LANES_PER_PROCESS = 3;
const API_KEY = "sk_bench_shared_key_4c0ffee";
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

if (process.argv[2] === "--worker") await hammer();
else await main();

async function main() {
  const seconds = Number(process.argv[2] ?? process.env.OSCAR_BENCH_SECONDS ?? 120);
  if (!(seconds > 0)) throw new Error("Give the duration in seconds, e.g. 120");
  const sim = await startOscarSimulator({ apiKeys: [API_KEY], rateLimit: { limit: OSCAR_RATE_LIMIT.limit, windowMs: OSCAR_RATE_LIMIT.windowMs } });
  const prefix = `bench:oscar-rate:${process.pid}:${Date.now()}:`;
  const startedAt = Date.now();
  const until = startedAt + seconds * 1000;
  console.log(`Oscar rate-limit bench: ${PROCESSES} processes × ${LANES_PER_PROCESS} lanes, one key, ${seconds} s, quota ${OSCAR_RATE_LIMIT.limit} per ${OSCAR_RATE_LIMIT.windowMs / 1000} s`);

  const workerResults = await Promise.all(
    Array.from({ length: PROCESSES }, () => {
      const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url), "--worker"], {
        // The key travels in the environment, never on a command line other users can list.
        env: { ...process.env, BENCH_BASE_URL: sim.baseUrl, BENCH_API_KEY: API_KEY, BENCH_PREFIX: prefix, BENCH_UNTIL: String(until), REDIS_URL: redisUrl },
        stdio: ["ignore", "pipe", "inherit"],
      });
      return new Promise<{ ok: number; failed: number }>((resolve, reject) => {
        let last = "";
        createInterface({ input: child.stdout }).on("line", (line) => (last = line));
        child.on("exit", (code) => (code === 0 ? resolve(JSON.parse(last)) : reject(new Error(`worker exited with ${code}`))));
      });
    }),
  );
  await sim.close();
  await deleteBenchKeys(prefix);

  const seen = sim.inspect.requests(API_KEY);
  const spanMs = seen.arrivals.at(-1)! - seen.arrivals[0];
  const perMinute = ((seen.total - 1) / spanMs) * 60_000;
  const ok = workerResults.reduce((sum, r) => sum + r.ok, 0);
  const failed = workerResults.reduce((sum, r) => sum + r.failed, 0);
  console.log(
    [
      `requests seen by Oscar:       ${seen.total} over ${(spanMs / 1000).toFixed(1)} s (client calls ok ${ok}, failed ${failed})`,
      `requests per minute achieved: ${perMinute.toFixed(1)} of ${OSCAR_RATE_LIMIT.limit} (${((perMinute / OSCAR_RATE_LIMIT.limit) * 100).toFixed(1)}%)`,
      `most in any rolling 60 s:     ${seen.maxInWindow(60_000)} (limit ${OSCAR_RATE_LIMIT.limit})`,
      `429 answers:                  ${seen.byOutcome["429"] ?? 0}`,
    ].join("\n"),
  );
}

/** One process: lanes that call Oscar back to back until the deadline, each waiting for its slot. */
async function hammer() {
  const redis = new Redis(redisUrl);
  const limiter = createOscarRateLimiter({ redis, prefix: process.env.BENCH_PREFIX! });
  const oscar = createOscarClient({
    baseUrl: process.env.BENCH_BASE_URL!,
    apiKey: process.env.BENCH_API_KEY!,
    limiter,
    logger: createLogger({ name: "oscar-bench", level: "warn", destination: process.stderr }),
  });
  const until = Number(process.env.BENCH_UNTIL);
  let ok = 0;
  let failed = 0;
  const lane = async () => {
    while (Date.now() < until) {
      await oscar.listWorkspaces().then(() => ok++, () => failed++);
    }
  };
  await Promise.all(Array.from({ length: LANES_PER_PROCESS }, lane));
  redis.disconnect();
  console.log(JSON.stringify({ ok, failed }));
}

async function deleteBenchKeys(prefix: string) {
  const redis = new Redis(redisUrl);
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
}
