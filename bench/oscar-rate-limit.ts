import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import { createOscarClient } from "../app/oscar/client.server";
import { OSCAR_RATE_LIMIT, createOscarRateLimiter } from "../app/oscar/rate-limit.server";
import { createLogger } from "../app/logger.server";
import { minInAnyWindow } from "../sim/oscar/request-log";
import { startOscarSimulator } from "../sim/oscar/server";
import { atLeast, atMost, exactly, runIfMain, type BenchOptions, type BenchReport } from "./support/goals";

/**
 * Does the shared limiter hold Oscar's quota of 300 requests per minute per key, counted by
 * Oscar, while using nearly all of it? Four processes share one API key and send as fast as the
 * limiter lets them, through the real client and the real Redis limiter, to the simulator, which
 * counts arrivals and answers 429 past 300 in any rolling minute.
 *
 * Goals: no 429 from Oscar's limit, at most 300 in any rolling 60 s, and at least 285 in every 60 s
 * once the first minute is over (every process has work waiting all along, so nothing but the
 * limiter decides how many go).
 *
 *   npx tsx bench/oscar-rate-limit.ts [--quick]     (180 s of sending, --quick 125 s, after 20 s for the
 *                                                   processes to start; OSCAR_BENCH_SECONDS overrides)
 *   REDIS_URL (default redis://127.0.0.1:6379)
 * Break it on purpose: OSCAR_BENCH_UNSHARED=1 gives each process a limiter of its own (each keeps to
 * 300 a minute, so together they send four times Oscar's limit), as an app whose limiter lived in
 * process memory would.
 */

const PROCESSES = 4;
const LANES_PER_PROCESS = 3;
const API_KEY = "sk_bench_shared_key_4c0ffee";
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

const STEADY_FLOOR = 285;
const SPAWN_ALLOWANCE_MS = 20_000;

export async function run({ quick }: BenchOptions): Promise<BenchReport> {
  // The steady part starts a minute in, and needs a whole minute of its own.
  const seconds = Number(process.env.OSCAR_BENCH_SECONDS ?? (quick ? 125 : 180));
  if (!(seconds >= 120)) throw new Error("OSCAR_BENCH_SECONDS must be at least 120: one minute to start, one to measure");
  const sim = await startOscarSimulator({ apiKeys: [API_KEY], rateLimit: { limit: OSCAR_RATE_LIMIT.limit, windowMs: OSCAR_RATE_LIMIT.windowMs } });
  const prefix = `bench:oscar-rate:${process.pid}:${Date.now()}:`;
  // Every process starts sending at the same moment, once all have had time to load (tsx takes
  // seconds on a busy machine): otherwise the first minute would measure process start-up.
  const sendFrom = Date.now() + SPAWN_ALLOWANCE_MS;
  const until = sendFrom + seconds * 1000;

  const unshared = process.env.OSCAR_BENCH_UNSHARED === "1";
  const workerResults = await Promise.all(
    Array.from({ length: PROCESSES }, (_, index) => {
      const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url), "--worker"], {
        // The key travels in the environment, never on a command line other users can list.
        env: { ...process.env, BENCH_BASE_URL: sim.baseUrl, BENCH_API_KEY: API_KEY, BENCH_PREFIX: unshared ? `${prefix}${index}:` : prefix, BENCH_FROM: String(sendFrom), BENCH_UNTIL: String(until), REDIS_URL: redisUrl },
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
  // Windows that start a minute after the first request and end by the last one sent before the deadline.
  const lastStart = Math.min(until, seen.arrivals.at(-1)!) - OSCAR_RATE_LIMIT.windowMs;
  const steadyFrom = sendFrom + OSCAR_RATE_LIMIT.windowMs;
  const quietest = lastStart >= steadyFrom ? minInAnyWindow(seen.arrivals, OSCAR_RATE_LIMIT.windowMs, steadyFrom, lastStart) : NaN;
  return {
    bench: "Oscar rate limiter",
    goals: [
      exactly("429s from Oscar's own limit", seen.rateLimited, 0, "answers"),
      atMost("most requests in any rolling 60 s", seen.maxInWindow(OSCAR_RATE_LIMIT.windowMs), OSCAR_RATE_LIMIT.limit, "requests"),
      atLeast("fewest requests in any 60 s after the first minute", quietest, STEADY_FLOOR, "requests"),
    ],
    info: [
      `${PROCESSES} processes × ${LANES_PER_PROCESS} lanes on one key for ${seconds} s; Oscar saw ${seen.total} requests over ${(spanMs / 1000).toFixed(1)} s (client calls ok ${ok}, failed ${failed})`,
      `${perMinute.toFixed(1)} requests a minute overall, of ${OSCAR_RATE_LIMIT.limit} allowed (${((perMinute / OSCAR_RATE_LIMIT.limit) * 100).toFixed(1)}%)`,
    ],
  };
}

if (process.argv.includes("--worker")) await hammer();
else await runIfMain(import.meta.url, run);

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
  await new Promise((r) => setTimeout(r, Math.max(0, Number(process.env.BENCH_FROM) - Date.now())));
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
