import { spawn, type ChildProcess } from "node:child_process";
import { Redis } from "ioredis";
import { inject } from "vitest";
import { freePort } from "./ports";

export const SHARED_REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

let counter = 0;

/** A key prefix no other test (or test run) uses, so tests never see each other's keys. */
export function testRedisPrefix(label: string): string {
  return `test:${inject("runId")}:${label}:${process.pid}-${++counter}`;
}

/** Deletes every key under a prefix on the shared Redis; never flushes the whole server. */
export async function deleteKeysWithPrefix(prefix: string, url = SHARED_REDIS_URL): Promise<number> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  let deleted = 0;
  try {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
      cursor = next;
      if (keys.length) deleted += await redis.del(...keys);
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
  return deleted;
}

/**
 * A Redis server of the test's own, to stop and start for outage tests; the machine's shared
 * Redis is never stopped.
 */
export async function startOwnRedis(): Promise<{ url: string; port: number; stop(): Promise<void>; start(): Promise<void> }> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
    await waitForRedis(`redis://127.0.0.1:${port}`, true);
  };
  const stop = async () => {
    if (!child) return;
    const exited = new Promise((resolve) => child!.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
    child = undefined;
  };
  await start();
  return { url: `redis://127.0.0.1:${port}`, port, stop, start };
}

async function waitForRedis(url: string, up: boolean, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    redis.on("error", () => {});
    const answered = await redis.connect().then(() => redis.ping()).then(() => true, () => false);
    redis.disconnect();
    if (answered === up) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`Redis at ${url} did not ${up ? "start" : "stop"} within ${timeoutMs} ms`);
}
