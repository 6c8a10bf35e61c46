/* eslint-disable no-console -- a reliability case prints its figures for people to read, like bench/ */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import type { PrismaClient } from "@prisma/client";
import { createPrismaClient } from "../../../app/db/client.server";
import { createLogger } from "../../../app/logger.server";
import { createOscarClient } from "../../../app/oscar/client.server";
import { createOscarRateLimiter } from "../../../app/oscar/rate-limit.server";
import { adminHostParam, mintSessionToken } from "../../../app/sandbox/session-token.server";
import { decryptSecret, generateKeyringEntry, parseKeyring } from "../../../app/security/encryption.server";
import { connectOscar } from "../../../app/services/oscar-connection.server";
import { startOscarSimulator, type OscarSimulatorOptions } from "../../../sim/oscar/server";
import { createStoreFixture } from "../../../sim/shopify-admin/fixtures";
import { startFakeShopifyAdmin } from "../../../sim/shopify-admin/server";
import { freePort } from "../../harness/ports";
import { startAppServer, startWorkerProcess, type RunningProcess } from "../../harness/processes";

export const SHOP = "reliability-shop.myshopify.com";
export const OSCAR_KEY = "osk_reliability_key_0001";
const BROWSER_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36";

/** Durations and counts the issue does not fix are multiplied by RELIABILITY_SCALE (default 1). */
export const SCALE = Number(process.env.RELIABILITY_SCALE ?? 1);
export const scaled = (n: number, min = 1) => Math.max(min, Math.round(n * SCALE));

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function waitUntil<T>(what: string, probe: () => T | Promise<T>, timeoutMs: number, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** Resident memory of a process in MB, from /proc (Linux). */
export function rssMb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return match ? Number(match[1]) / 1024 : NaN;
}

/** A Redis of the case's own, with AOF fsynced on every write, as production should run it. */
export async function startOwnRedis() {
  const port = await freePort();
  // A fresh clone has no .cache/reliability yet.
  mkdirSync(resolve(".cache/reliability"), { recursive: true });
  const dir = mkdtempSync(resolve(".cache/reliability/redis-"));
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  const ping = async () => {
    const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    redis.on("error", () => {});
    const ok = await redis.connect().then(() => redis.ping()).then(() => true, () => false);
    redis.disconnect();
    return ok;
  };
  const start = async () => {
    child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--save", "", "--appendonly", "yes", "--appendfsync", "always", "--maxmemory-policy", "noeviction"], { stdio: "ignore" });
    await waitUntil("redis-server to answer", ping, 10_000, 50);
  };
  /** SIGKILL: the harshest stop; only what the AOF holds survives. */
  const kill = async () => {
    if (!child) return;
    const exited = new Promise((r) => child!.once("exit", r));
    child.kill("SIGKILL");
    await exited;
    child = undefined;
  };
  await start();
  return { url, port, start, kill, async close() { await kill(); rmSync(dir, { recursive: true, force: true }); } };
}

export type ReliabilityStack = Awaited<ReturnType<typeof startReliabilityStack>>;

/**
 * The real processes (built app under server.mjs, worker processes) on a migrated SQLite file, the
 * Oscar simulator and the fake Admin API in this process, and one shop installed through the
 * session-token exchange and connected to Oscar through the app's connect service.
 */
export async function startReliabilityStack({ name, redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379", env = {}, oscarOptions = {}, customers = 60 }: {
  name: string;
  redisUrl?: string;
  env?: Record<string, string>;
  oscarOptions?: OscarSimulatorOptions;
  customers?: number;
}) {
  const dir = resolve(".cache/reliability");
  mkdirSync(dir, { recursive: true });
  const dbFile = resolve(dir, `${name}-${process.pid}-${Date.now()}.sqlite`);
  const databaseUrl = `file:${dbFile}`;
  execFileSync(process.execPath, [resolve("node_modules/prisma/build/index.js"), "migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: "1" },
    stdio: "ignore",
  });
  const apiSecret = "reliability-api-secret-0123456789";
  const oscar = await startOscarSimulator({ apiKeys: [OSCAR_KEY], ...oscarOptions });
  const store = createStoreFixture({ shopDomain: SHOP, seed: 3, customers });
  const admin = await startFakeShopifyAdmin({ stores: { [SHOP]: store }, apiSecret });
  const port = await freePort();
  const prefix = `reliability:${name}:${process.pid}-${Date.now()}`;
  const appUrl = `http://127.0.0.1:${port}`;
  const encryptionKeys = generateKeyringEntry(1);
  const appEnv: Record<string, string> = {
    NODE_ENV: "test",
    PORT: String(port),
    HOST: "127.0.0.1",
    SHOPIFY_API_KEY: "reliability-api-key",
    SHOPIFY_API_SECRET: apiSecret,
    SHOPIFY_APP_URL: appUrl,
    ENCRYPTION_KEYS: encryptionKeys,
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    REDIS_PREFIX: prefix,
    SHOPIFY_ADMIN_API_ORIGIN: admin.url,
    OSCAR_API_BASE: oscar.baseUrl,
    LOG_LEVEL: "warn",
    ...env,
  };
  const processes: RunningProcess[] = [];
  const app = startAppServer(appEnv);
  processes.push(app);
  await app.waitForOutput(/\[oscar-chat\] http/, 30_000);

  const token = mintSessionToken({ apiKey: appEnv.SHOPIFY_API_KEY, apiSecret, shop: SHOP });
  const params = new URLSearchParams({ embedded: "1", shop: SHOP, host: adminHostParam(SHOP), id_token: token });
  const installed = await fetch(`${appUrl}/app?${params}`, { headers: { "User-Agent": BROWSER_UA } });
  if (installed.status !== 200) throw new Error(`installing ${SHOP} answered ${installed.status}`);
  await installed.text();

  const db: PrismaClient = createPrismaClient(databaseUrl);
  const keyring = parseKeyring(encryptionKeys);
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  redis.on("error", () => {});
  const logger = createLogger({ level: "silent" });
  const connection = await connectOscar(
    {
      db,
      keyring,
      appUrl,
      logger,
      oscarWithKey: (key) => createOscarClient({ baseUrl: oscar.baseUrl, apiKey: key, logger, limiter: createOscarRateLimiter({ redis, prefix: `${prefix}:oscar-rate:` }) }),
    },
    SHOP,
    OSCAR_KEY,
  );
  const stored = await db.oscarConnection.findUniqueOrThrow({ where: { shop: SHOP } });
  const ingestUrl = `${appUrl}/webhooks/oscar/${stored.ingestKey}`;
  const webhookSecret = decryptSecret(keyring, stored.webhookSecretCiphertext!);
  void connection;

  const queue = new Queue("oscar-events", { connection: { url: redisUrl, maxRetriesPerRequest: null }, prefix });
  queue.on("error", () => {});

  return {
    appUrl,
    ingestUrl,
    webhookSecret,
    env: appEnv,
    prefix,
    db,
    redis,
    oscar,
    admin,
    store,
    app,
    queue,
    /** A worker process; `info` logs so each "job completed" line (with its job id) can be counted. */
    async startWorker(extra: Record<string, string> = {}) {
      const worker = startWorkerProcess({ ...appEnv, LOG_LEVEL: "info", ...extra });
      processes.push(worker);
      await worker.waitForOutput(/worker ready/, 30_000);
      return worker;
    },
    async jobCounts() {
      return queue.getJobCounts("waiting", "active", "completed", "failed", "delayed", "prioritized", "waiting-children");
    },
    async close() {
      await Promise.all(processes.map((p) => p.stop("SIGKILL")));
      await queue.close().catch(() => {});
      await db.$disconnect();
      await oscar.close();
      await admin.close();
      // Only this run's keys; the shared Redis is never flushed.
      if (redis.status === "ready") {
        let cursor = "0";
        do {
          const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
          cursor = next;
          if (keys.length) await redis.del(...keys);
        } while (cursor !== "0");
      }
      redis.disconnect();
      rmSync(dbFile, { force: true });
      rmSync(`${dbFile}-journal`, { force: true });
    },
  };
}

/** How many times each Oscar event job id was logged "job completed" by the given workers. */
export function completionsByJob(outputs: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const output of outputs) {
    for (const line of output.split("\n")) {
      if (!line.includes('"job completed"') || !line.includes('"queue":"oscar-events"')) continue;
      const id = /"jobId":"([^"]+)"/.exec(line)?.[1];
      if (id) counts.set(id, (counts.get(id) ?? 0) + 1);
    }
  }
  return counts;
}

/** A case's verdict: prints each figure with its goal and exits non-zero when any misses. */
export function createReport(caseName: string) {
  const started = Date.now();
  const misses: string[] = [];
  return {
    figure(label: string, value: string | number, ok: boolean, goal: string) {
      console.log(`${ok ? "PASS" : "FAIL"}  ${label}: ${value}  (goal: ${goal})`);
      if (!ok) misses.push(label);
    },
    info(line: string) {
      console.log(`      ${line}`);
    },
    finish() {
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      if (misses.length) {
        console.log(`RESULT ${caseName}: FAIL in ${seconds} s (missed: ${misses.join(", ")})`);
        process.exitCode = 1;
      } else console.log(`RESULT ${caseName}: PASS in ${seconds} s`);
    },
  };
}

/** Runs a case, closing its stack whatever happens; a thrown error is a failure with its reason printed. */
export async function runCase(caseName: string, body: (report: ReturnType<typeof createReport>, onClose: (fn: () => Promise<unknown>) => void) => Promise<void>) {
  const report = createReport(caseName);
  const closers: Array<() => Promise<unknown>> = [];
  console.log(`== ${caseName}`);
  try {
    await body(report, (fn) => closers.unshift(fn));
  } catch (error) {
    report.figure("case ran to the end", error instanceof Error ? error.message : String(error), false, "no error");
  } finally {
    for (const close of closers) await close().catch((error) => console.error(`cleanup: ${error}`));
    report.finish();
    // Handles left by libraries (BullMQ, undici) must not keep a finished case alive.
    setTimeout(() => process.exit(), 500).unref();
  }
}
