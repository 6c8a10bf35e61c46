/**
 * Knowledge sync of a big catalogue: a generated 10,000-product store (quick: 2,000) synced in full
 * through the real worker process, the fake Shopify Admin API (one bulk operation) and the Oscar
 * simulator with Oscar's real limit (300 requests a minute per key), paced by the app's real limiter.
 *
 *   npx tsx bench/knowledge-sync.ts [--quick]
 *
 * Goals (knowledge sync issue): at most 300 Oscar requests and none refused 429; at most 5 Admin
 * GraphQL calls besides polling the bulk operation (one bulk query, never a call per product); the sync done within
 * 30 s of the time Oscar's quota itself needs for the requests it made (the quota, not the machine,
 * sets the pace); the worker's peak memory (VmHWM) under 256 MB. Break it on purpose: BENCH_SLOW_MS=1500
 * delays every call the worker makes.
 */
import { readFileSync } from "node:fs";
import { Redis } from "ioredis";
import { createPrismaClient } from "../app/db/client.server";
import { createLogger } from "../app/logger.server";
import { createOscarClient } from "../app/oscar/client.server";
import { createOscarRateLimiter } from "../app/oscar/rate-limit.server";
import { createKnowledgeSyncScheduler } from "../app/queues/knowledge-sync-schedule.server";
import { adminHostParam, mintSessionToken } from "../app/sandbox/session-token.server";
import { parseKeyring } from "../app/security/encryption.server";
import { requestKnowledgeSync } from "../app/services/knowledge-admin.server";
import { connectOscar } from "../app/services/oscar-connection.server";
import { createStoreFixture } from "../sim/shopify-admin/fixtures";
import { startFakeShopifyAdmin } from "../sim/shopify-admin/server";
import { startOscarSimulator } from "../sim/oscar/server";
import { atMost, exactly, runIfMain, type BenchOptions, type BenchReport } from "./support/goals";
import { waitForIdleQueues } from "./support/idle-queues";
import { startBenchStack } from "./support/stack";

const shop = "bench-knowledge.myshopify.com";
const apiKey = "osk_bench_knowledge_sync";

const peakMemoryMb = (pid: number) => Math.round(Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]) / 1024);

export async function run({ quick }: BenchOptions): Promise<BenchReport> {
  const productCount = quick ? 2_000 : 10_000;
  const oscar = await startOscarSimulator({ apiKeys: [apiKey] });
  const generatedAt = Date.now();
  const store = createStoreFixture({ shopDomain: shop, products: productCount, customers: 3 });
  const variants = store.products.reduce((sum, p) => sum + p.variants.length, 0);
  console.log(`catalogue: ${store.products.length} products, ${variants} variants, ${store.collections.length} collections, ${store.pages.length} pages (generated in ${Date.now() - generatedAt} ms)`);
  const admin = await startFakeShopifyAdmin({ stores: { [shop]: store }, acceptAnyToken: true });
  const stack = await startBenchStack({ name: "knowledge", worker: true, env: { OSCAR_API_BASE: oscar.baseUrl, SHOPIFY_ADMIN_API_ORIGIN: admin.url } });
  const redis = new Redis(stack.redisUrl);
  const db = createPrismaClient(stack.databaseUrl);
  try {
    const token = mintSessionToken({ apiKey: stack.env.SHOPIFY_API_KEY!, apiSecret: stack.env.SHOPIFY_API_SECRET!, shop });
    const params = new URLSearchParams({ embedded: "1", shop, host: adminHostParam(shop), id_token: token });
    const installed = await fetch(`${stack.appUrl}/app?${params}`, { headers: { "User-Agent": "Mozilla/5.0 Chrome/126" } });
    if (installed.status !== 200) throw new Error(`install answered ${installed.status}`);
    const logger = createLogger({ level: "silent" });
    // The limiter the app uses (same Redis keys): connecting counts against the same per-key budget.
    const limiter = createOscarRateLimiter({ redis, prefix: `${stack.prefix}:oscar-rate:` });
    await connectOscar(
      { db, keyring: parseKeyring(stack.env.ENCRYPTION_KEYS!), appUrl: stack.appUrl, logger, oscarWithKey: (key) => createOscarClient({ baseUrl: oscar.baseUrl, apiKey: key, logger, limiter }) },
      shop,
      apiKey,
    );
    const botId = oscar.accountFor(apiKey).botId;
    await db.oscarConnection.update({ where: { shop }, data: { botId } });

    // Let the install's own jobs (shop details) finish, then count only the sync.
    await waitForIdleQueues(redis, stack.prefix);
    const oscarBefore = oscar.inspect.requests(apiKey).total;
    const idleMemory = peakMemoryMb(stack.workerPid!);
    admin.resetRequests();
    const scheduler = createKnowledgeSyncScheduler({ connection: redis, prefix: stack.prefix });
    const started = Date.now();
    await requestKnowledgeSync({ db, scheduler }, shop);
    let lastLine = "";
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const state = await db.knowledgeSyncState.findUnique({ where: { shop } });
      const line = `${state?.status} ${state?.phase ?? ""}: ${state?.itemsRead} items read, ${state?.sourcesSent} of ${state?.sourcesToSend} sources sent`;
      if (line !== lastLine) console.log(`  ${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s ${line}`);
      lastLine = line;
      if (state?.status === "idle" && state.finishedAt && state.finishedAt.getTime() >= started) {
        if (state.lastOutcome !== "succeeded") throw new Error(`the sync failed: ${state.lastError}`);
        break;
      }
    }
    const wallMs = Date.now() - started;
    await scheduler.close();

    const oscarStats = oscar.inspect.requests(apiKey);
    const graphqlCalls = admin.requests.filter((r) => r.path.endsWith("/graphql.json"));
    const byOperation = new Map<string, number>();
    for (const call of graphqlCalls) byOperation.set(call.operationName ?? "?", (byOperation.get(call.operationName ?? "?") ?? 0) + 1);
    const sources = oscar.inspect.knowledgeSources(botId);
    const bytes = sources.reduce((sum, s) => sum + Buffer.byteLength(s.content ?? ""), 0);

    const oscarRequests = oscarStats.total - oscarBefore;
    // Oscar's quota alone needs this long for the requests made (300 a minute, a burst of 5).
    const quotaSeconds = (Math.max(0, oscarRequests - 5) * 60) / 300;
    const peakMb = peakMemoryMb(stack.workerPid!);
    return {
      bench: "knowledge-sync",
      goals: [
        atMost(`Oscar requests for ${productCount} products`, oscarRequests, 300, "requests"),
        exactly("Oscar requests refused 429", oscarStats.rateLimited, 0, "requests"),
        // Polling the bulk operation's status scales with how long Shopify takes, not with the catalogue.
        atMost("Admin GraphQL calls besides polling the bulk operation", graphqlCalls.length - (byOperation.get("BulkOperationStatus") ?? 0), 5, "calls"),
        atMost(`wall time beyond what Oscar's quota needs for ${oscarRequests} requests (${quotaSeconds.toFixed(0)} s)`, wallMs / 1000 - quotaSeconds, 30, "s"),
        atMost("worker peak memory (VmHWM)", peakMb, 255, "MB"),
      ],
      info: [
        `${store.products.length} products, ${variants} variants, ${store.collections.length} collections, ${store.pages.length} pages.`,
        `Knowledge sources: ${sources.length}, ${(bytes / 1024 / 1024).toFixed(1)} MB of text; bot sync calls: ${oscar.inspect.syncCalls(botId).length}.`,
        `Admin API: ${[...byOperation].map(([name, n]) => `${name} ${n}`).join(", ")}, plus 1 download of the bulk operation's file.`,
        `Wall time ${(wallMs / 1000).toFixed(1)} s; worker memory ${idleMemory} MB before the sync, ${peakMb} MB at its peak.`,
      ],
    };
  } finally {
    redis.disconnect();
    await db.$disconnect();
    await stack.close();
    await admin.close();
    await oscar.close();
  }
}

await runIfMain(import.meta.url, run);
