/**
 * Enrichment latency: from the moment the app receives Oscar's conversation.created webhook to the
 * moment the private note exists in the (simulated) Oscar, through the real ingest, Redis, worker,
 * fake Shopify Admin API and Oscar simulator, one conversation a second (100; quick: 40), each opened
 * with the shopper's first message (whose own job may hold the conversation when the note is due). Also counts
 * the calls each enrichment costs: matching the shopper by email takes 2 Admin API calls (the
 * customer search, then the customer by id), and Oscar 2 (the note and the contact).
 *
 *   npx tsx bench/enrichment.ts [--quick]
 *
 * Goals: p95 ≤ 100 ms and p99 ≤ 750 ms (a conversation's opening message may hold it first, and the
 * enrichment then waits for that message's job); exactly 2 Admin and 2 Oscar calls per conversation.
 * The worker's first enrichment after it starts is measured on its own, before the stream, with the
 * p99 bound as its goal: it compiles the code paths, opens the connections and loads the shop's
 * session (measured at 56–111 ms against a warm 20–50, 2026-12-06). The quick run takes 40, so its p95
 * (the 38th) leaves out two samples: with 20 its p95 was the 19th, next to the maximum, and one CI run
 * missed at 101 ms with a p50 of 52 (2026-12-07). A long-running worker pays it once. Absolute bounds are
 * fair here: the path is local waits and little CPU, far from what 2 cores can do at 1 conversation
 * a second. Break it on purpose: BENCH_SLOW_MS=200 delays
 * every call the worker makes.
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
import { atMost, exactly, runIfMain, type BenchOptions, type BenchReport } from "./support/goals";
import { waitForIdleQueues } from "./support/idle-queues";
import { startBenchStack } from "./support/stack";
import { waitFor } from "../test/harness/wait";

// Oscar allows 300 calls a minute per key and each enrichment makes 2: above ~2.4 conversations a
// second per shop, enrichments queue behind the quota and this measures the queue, not the work.
const perSecond = 1;
const shop = "bench-enrich.myshopify.com";
const apiKey = "osk_bench_enrichment";

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;


export async function run({ quick }: BenchOptions): Promise<BenchReport> {
  const conversations = quick ? 40 : 100;
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

    // Every Admin GraphQL call from here on is an enrichment's: the install's own jobs are done.
    await waitForIdleQueues(redis, stack.prefix);
    // The worker's first enrichment (see the goals above), then the stream from a warm worker.
    const first = oscar.scenario.shopperOpensConversation({ email: store.customers.at(-1)!.email, name: "First" }).conversationId;
    await waitFor("the first conversation's note", () => oscar.inspect.notes(first).length > 0, 30_000);
    await waitForIdleQueues(redis, stack.prefix);

    const adminBefore = admin.requests.length;
    const oscarBefore = oscar.inspect.requests(apiKey).total;
    const opened: string[] = [];
    const started = Date.now();
    for (let i = 0; i < conversations; i++) {
      const customer = store.customers[i % store.customers.length];
      // A conversation opens with the shopper's first message, as Oscar's widget opens one. (Opened
      // without one, a conversation.created the simulator sends out of order waits its whole 1 s
      // fallback for a next event that never comes, and lands on the next conversation's arrival:
      // 30 % of them then ran two at a time, and the quick p95 read 111 ms in 1 run of 3, 2026-12-06.)
      opened.push(oscar.scenario.shopperOpensConversation({ email: customer.email, name: customer.firstName, message: "Hi, does the linen shirt run large?" }).conversationId);
      const due = started + ((i + 1) * 1000) / perSecond;
      await new Promise((r) => setTimeout(r, Math.max(0, due - Date.now())));
    }
    await waitFor("every conversation's note", () => opened.every((id) => oscar.inspect.notes(id).length > 0), 60_000);

    // The note can exist before its job has finished (the contact update comes after): count once all are done.
    await waitForIdleQueues(redis, stack.prefix, 60_000);

    // Arrival time: when ingest stored the job (receivedAt); note time: when Oscar stored the note.
    const queue = new Queue("oscar-events", { connection: redis, prefix: stack.prefix });
    const jobs = await queue.getJobs(["completed"], 0, -1);
    await queue.close();
    const arrivals = new Map<string, number>();
    const waited = new Set<string>();
    for (const job of jobs) {
      if (job.data.type !== "conversation.created") continue;
      const event = JSON.parse(decryptSecret(keyring, job.data.sealedEvent, { shop: job.data.shop, field: SECRET_FIELDS.oscarEvent }));
      const id = String(event.data.conversation_id);
      arrivals.set(id, job.data.receivedAt);
      if (job.data.deferrals) waited.add(id);
    }
    const latencyOf = (id: string) => Date.parse(String(oscar.inspect.notes(id)[0].created_at)) - (arrivals.get(id) ?? NaN);
    const latencies = opened.map(latencyOf).filter(Number.isFinite).sort((a, b) => a - b);
    const firstLatency = latencyOf(first);
    const adminRequests = admin.requests.slice(adminBefore).filter((r) => r.path.endsWith("/graphql.json"));
    const adminCalls = adminRequests.length;
    const byOperation = new Map<string, number>();
    for (const call of adminRequests) byOperation.set(call.operationName ?? "?", (byOperation.get(call.operationName ?? "?") ?? 0) + 1);
    // Each conversation also fires message.created for the app's own note, which costs no call.
    const oscarCalls = oscar.inspect.requests(apiKey).total - oscarBefore;
    const notes = opened.reduce((n, id) => n + oscar.inspect.notes(id).length, 0);

    return {
      bench: "enrichment",
      goals: [
        exactly("conversations enriched (a note written)", latencies.length, conversations, "conversations"),
        atMost("webhook arrival → note in Oscar, p95", percentile(latencies, 95), 100, "ms"),
        atMost("webhook arrival → note in Oscar, p99", percentile(latencies, 99), 750, "ms"),
        atMost("the worker's first enrichment after it started", firstLatency, 750, "ms"),
        exactly("Admin API calls per conversation", adminCalls / conversations, 2, "calls"),
        exactly("Oscar calls per conversation", oscarCalls / conversations, 2, "calls"),
        exactly("notes written", notes, conversations, "notes"),
      ],
      info: [
        `${conversations} conversations at ${perSecond}/s; p50 ${percentile(latencies, 50)} ms, max ${latencies.at(-1)} ms.`,
        `${waited.size} enrichments found their conversation busy with another event's job and waited for it${waited.size ? ` (slowest ${Math.max(...[...waited].map(latencyOf))} ms)` : ""}.`,
        `Admin API calls by operation: ${[...byOperation].map(([name, n]) => `${name} ${n}`).join(", ") || "none"}.`,
        `${cpus().length} cores, Node ${process.version}; the Oscar simulator's limit raised so this measures the work, not Oscar's quota.`,
      ],
    };
  } finally {
    redis.disconnect();
    await stack.close();
    await oscar.close();
    await admin.close();
  }
}

await runIfMain(import.meta.url, run);
