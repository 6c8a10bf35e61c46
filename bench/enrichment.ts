/**
 * Enrichment latency: from the moment the app receives Oscar's conversation.created webhook to the
 * moment the private note exists in the (simulated) Oscar, through the real ingest, Redis, worker,
 * fake Shopify Admin API and Oscar simulator. Also counts the calls each enrichment costs.
 *
 *   npx tsx bench/enrichment.ts [conversations=100] [per-second=1]
 *
 * Goal (issue 4): p95 < 100 ms with local fakes; exactly 1 Admin API call and 2 Oscar calls each.
 */
import { cpus } from "node:os";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { createLogger } from "../app/logger.server";
import { createOscarClient } from "../app/oscar/client.server";
import { createOscarRateLimiter } from "../app/oscar/rate-limit.server";
import { decryptSecret, parseKeyring, SECRET_FIELDS } from "../app/security/encryption.server";
import { connectOscar } from "../app/services/oscar-connection.server";
import { createPrismaClient } from "../app/db/client.server";
import { adminHostParam, mintSessionToken } from "../app/sandbox/session-token.server";
import { createStoreFixture } from "../sim/shopify-admin/fixtures";
import { startFakeShopifyAdmin } from "../sim/shopify-admin/server";
import { startOscarSimulator } from "../sim/oscar/server";
import { startBenchStack } from "./support/stack";

const conversations = Number(process.argv[2] ?? 100);
// Oscar allows 300 calls a minute per key and each enrichment makes 2: above ~2.4 conversations a
// second per shop, enrichments queue behind the quota and this measures the queue, not the work.
const perSecond = Number(process.argv[3] ?? 1);
const shop = "bench-enrich.myshopify.com";
const apiKey = "osk_bench_enrichment";

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

async function main() {
  // Oscar's limit is 300/min per key; this bench measures latency, so give the simulated account room.
  const oscar = await startOscarSimulator({ apiKeys: [apiKey], rateLimit: { limit: 100_000, windowMs: 60_000 } });
  const store = createStoreFixture({ shopDomain: shop, customers: conversations + 10 });
  const admin = await startFakeShopifyAdmin({ stores: { [shop]: store }, acceptAnyToken: true });
  const stack = await startBenchStack({
    name: "enrichment",
    worker: true,
    env: { OSCAR_API_BASE: oscar.baseUrl, SHOPIFY_ADMIN_API_ORIGIN: admin.url, WORKER_CONCURRENCY: "10" },
  });
  const redis = new Redis(stack.redisUrl);
  try {
    // Install (token exchange against the fake) and connect, as a merchant would.
    const token = mintSessionToken({ apiKey: stack.env.SHOPIFY_API_KEY!, apiSecret: stack.env.SHOPIFY_API_SECRET!, shop });
    const params = new URLSearchParams({ embedded: "1", shop, host: adminHostParam(shop), id_token: token });
    const installed = await fetch(`${stack.appUrl}/app?${params}`, { headers: { "User-Agent": "Mozilla/5.0 Chrome/126" } });
    if (installed.status !== 200) throw new Error(`install answered ${installed.status}`);
    const db = createPrismaClient(stack.databaseUrl);
    const keyring = parseKeyring(stack.env.ENCRYPTION_KEYS!);
    const logger = createLogger({ level: "silent" });
    await connectOscar(
      {
        db,
        keyring,
        appUrl: stack.appUrl,
        logger,
        oscarWithKey: (key) => createOscarClient({ baseUrl: oscar.baseUrl, apiKey: key, logger, limiter: createOscarRateLimiter({ redis, prefix: `${stack.prefix}:rl:`, limit: 100_000 }) }),
      },
      shop,
      apiKey,
    );
    await db.$disconnect();

    const adminBefore = admin.requests.filter((r) => r.operationName === "CustomerForConversation").length;
    const oscarBefore = oscar.inspect.requests(apiKey).total;
    const opened: string[] = [];
    const started = Date.now();
    for (let i = 0; i < conversations; i++) {
      const customer = store.customers[i % store.customers.length];
      opened.push(oscar.scenario.shopperOpensConversation({ email: customer.email, name: customer.firstName }).conversationId);
      const due = started + ((i + 1) * 1000) / perSecond;
      await new Promise((r) => setTimeout(r, Math.max(0, due - Date.now())));
    }
    const deadline = Date.now() + 60_000;
    while (opened.some((id) => oscar.inspect.notes(id).length === 0)) {
      if (Date.now() > deadline) throw new Error("not every conversation was enriched within 60 s");
      await new Promise((r) => setTimeout(r, 100));
    }

    // Arrival time: when ingest stored the job (receivedAt); note time: when Oscar stored the note.
    const queue = new Queue("oscar-events", { connection: redis, prefix: stack.prefix });
    const jobs = await queue.getJobs(["completed"], 0, -1);
    await queue.close();
    const arrivals = new Map<string, number>();
    for (const job of jobs) {
      if (job.data.type !== "conversation.created") continue;
      const event = JSON.parse(decryptSecret(keyring, job.data.sealedEvent, { shop: job.data.shop, field: SECRET_FIELDS.oscarEvent }));
      arrivals.set(String(event.data.conversation_id), job.data.receivedAt);
    }
    const latencies = opened
      .map((id) => Date.parse(String(oscar.inspect.notes(id)[0].created_at)) - (arrivals.get(id) ?? NaN))
      .filter(Number.isFinite)
      .sort((a, b) => a - b);
    const adminCalls = admin.requests.filter((r) => r.operationName === "CustomerForConversation").length - adminBefore;
    // Each conversation also fires message.created for the app's own note, which costs no call.
    const oscarCalls = oscar.inspect.requests(apiKey).total - oscarBefore;
    const notes = opened.reduce((n, id) => n + oscar.inspect.notes(id).length, 0);

    console.log(`\nEnrichment benchmark: ${conversations} conversations at ${perSecond}/s, ${cpus().length} cores, Node ${process.version}`);
    console.log(`measured: ${latencies.length} of ${conversations}`);
    console.log(`webhook arrival -> note in Oscar: p50 ${percentile(latencies, 50)} ms, p95 ${percentile(latencies, 95)} ms, p99 ${percentile(latencies, 99)} ms, max ${latencies.at(-1)} ms (goal p95 < 100 ms)`);
    console.log(`Admin API calls per enrichment: ${(adminCalls / conversations).toFixed(2)} (goal 1)`);
    console.log(`Oscar calls per enrichment: ${(oscarCalls / conversations).toFixed(2)} (goal 2: the note and the contact)`);
    console.log(`notes written: ${notes} for ${conversations} conversations`);
  } finally {
    redis.disconnect();
    await stack.close();
    await oscar.close();
    await admin.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
