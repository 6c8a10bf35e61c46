/* eslint-disable no-console -- a reliability case prints its figures for people to read, like bench/ */
import { spawn, type ChildProcess } from "node:child_process";
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
import { decryptSecret, generateKeyringEntry, parseKeyring, SECRET_FIELDS } from "../../../app/security/encryption.server";
import { connectOscar } from "../../../app/services/oscar-connection.server";
import { startOscarSimulator, type OscarSimulatorOptions } from "../../../sim/oscar/server";
import { createStoreFixture, type StoreFixture } from "../../../sim/shopify-admin/fixtures";
import { startFakeShopifyAdmin } from "../../../sim/shopify-admin/server";
import type { TestDatabaseProvider } from "../../harness/database-provider";
import { freePort } from "../../harness/ports";
import { startAppServer, startTsxProcess, startWorkerProcess, type RunningProcess } from "../../harness/processes";
import { createScratchDatabase } from "../../harness/scratch-database";

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

/** A shop of the stack: installed, connected to Oscar with its own key, and where Oscar sends its events. */
export type ConnectedShop = { shop: string; apiKey: string; ingestUrl: string; webhookSecret: string; store: StoreFixture };

/** The first shop is SHOP with OSCAR_KEY; further shops are numbered. */
const shopName = (i: number) => (i === 0 ? SHOP : SHOP.replace(".myshopify.com", `-${i + 1}.myshopify.com`));
const oscarKeyOf = (i: number) => (i === 0 ? OSCAR_KEY : `osk_reliability_key_${String(i + 1).padStart(4, "0")}`);

/**
 * The real processes (built app under server.mjs, worker processes) on a migrated database (SQLite,
 * or PostgreSQL with TEST_DATABASE=postgresql or `database`), the Oscar simulator and the fake Admin
 * API in this process, and `shops` shops installed through the session-token exchange and connected
 * to Oscar through the app's connect service. With `webProcesses` > 1 the web processes sit behind
 * a round-robin proxy, and the app's public URL (Oscar's webhooks, installs) is the proxy's.
 */
export async function startReliabilityStack({ name, redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379", env = {}, oscarOptions = {}, customers = 60, shops: shopCount = 1, webProcesses = 1, database: provider }: {
  name: string;
  redisUrl?: string;
  env?: Record<string, string>;
  oscarOptions?: OscarSimulatorOptions;
  customers?: number;
  shops?: number;
  webProcesses?: number;
  database?: TestDatabaseProvider;
}) {
  const database = await createScratchDatabase(name, { folder: "reliability", provider });
  const databaseUrl = database.url;
  const apiSecret = "reliability-api-secret-0123456789";
  const shopNames = Array.from({ length: shopCount }, (_, i) => shopName(i));
  const oscar = await startOscarSimulator({ apiKeys: shopNames.map((_, i) => oscarKeyOf(i)), ...oscarOptions });
  const stores = shopNames.map((shop, i) => createStoreFixture({ shopDomain: shop, seed: 3 + i, customers, now: new Date() }));
  const admin = await startFakeShopifyAdmin({ stores: Object.fromEntries(shopNames.map((shop, i) => [shop, stores[i]])), apiSecret });
  const webPorts = await Promise.all(Array.from({ length: webProcesses }, () => freePort()));
  const proxyPort = webProcesses > 1 ? await freePort() : undefined;
  const prefix = `reliability:${name}:${process.pid}-${Date.now()}`;
  const appUrl = `http://127.0.0.1:${proxyPort ?? webPorts[0]}`;
  const encryptionKeys = generateKeyringEntry(1);
  const appEnv: Record<string, string> = {
    NODE_ENV: "test",
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
  const webs = webPorts.map((port) => startAppServer({ ...appEnv, PORT: String(port) }));
  processes.push(...webs);
  await Promise.all(webs.map((web) => web.waitForOutput(/\[oscar-chat\] http/, 30_000)));
  const app = webs[0];
  if (proxyPort) {
    const proxy = startTsxProcess("test/reliability/support/round-robin-proxy.ts", [String(proxyPort), ...webPorts.map((port) => `http://127.0.0.1:${port}`)], {});
    processes.push(proxy);
    await proxy.waitForOutput(/proxy ready/, 30_000);
  }

  const db: PrismaClient = createPrismaClient(databaseUrl);
  const keyring = parseKeyring(encryptionKeys);
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  redis.on("error", () => {});
  const logger = createLogger({ level: "silent" });
  const connectedShops: ConnectedShop[] = [];
  for (const [i, shop] of shopNames.entries()) {
    const token = mintSessionToken({ apiKey: appEnv.SHOPIFY_API_KEY, apiSecret, shop });
    const params = new URLSearchParams({ embedded: "1", shop, host: adminHostParam(shop), id_token: token });
    const installed = await fetch(`${appUrl}/app?${params}`, { headers: { "User-Agent": BROWSER_UA } });
    if (installed.status !== 200) throw new Error(`installing ${shop} answered ${installed.status}`);
    await installed.text();
    await connectOscar(
      {
        db,
        keyring,
        appUrl,
        logger,
        oscarWithKey: (key) => createOscarClient({ baseUrl: oscar.baseUrl, apiKey: key, logger, limiter: createOscarRateLimiter({ redis, prefix: `${prefix}:oscar-rate:` }) }),
      },
      shop,
      oscarKeyOf(i),
    );
    const stored = await db.oscarConnection.findUniqueOrThrow({ where: { shop } });
    connectedShops.push({
      shop,
      apiKey: oscarKeyOf(i),
      ingestUrl: `${appUrl}/webhooks/oscar/${stored.ingestKey}`,
      webhookSecret: decryptSecret(keyring, stored.webhookSecretCiphertext!, { shop, field: SECRET_FIELDS.oscarWebhookSecret }),
      store: stores[i],
    });
  }
  const [first] = connectedShops;

  const queue = new Queue("oscar-events", { connection: { url: redisUrl, maxRetriesPerRequest: null }, prefix });
  queue.on("error", () => {});

  return {
    appUrl,
    ingestUrl: first.ingestUrl,
    webhookSecret: first.webhookSecret,
    store: first.store,
    shops: connectedShops,
    env: appEnv,
    apiSecret,
    prefix,
    db,
    databaseProvider: database.provider,
    redis,
    oscar,
    admin,
    app,
    webs,
    /** Each web process's own address (the proxy's is appUrl). */
    webUrls: webPorts.map((port) => `http://127.0.0.1:${port}`),
    /** How many requests the proxy sent to each web process, and why any failed (empty without a proxy). */
    async proxyStats(): Promise<{ requests: number[]; failures: Record<string, number> }> {
      if (!proxyPort) return { requests: [], failures: {} };
      const stats = (await (await fetch(`${appUrl}/_proxy/stats`)).json()) as { upstreams: { requests: number }[]; failures: Record<string, number> };
      return { requests: stats.upstreams.map((u) => u.requests), failures: stats.failures };
    },
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
      await database.drop();
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
