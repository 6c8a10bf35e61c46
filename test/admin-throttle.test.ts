import { Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOscarSimulator, type OscarSimulator } from "../sim/oscar/server";
import { installShop, startAppStack, TEST_SHOP, type AppStack } from "./harness/app-stack";
import { connectShopToOscar } from "./harness/oscar-webhook";
import { waitFor } from "./harness/wait";

const OSCAR_KEY = "osk_test_throttle_key_0005";

describe("Shopify Admin API cost throttling", () => {
  let oscar: OscarSimulator;
  let stack: AppStack;

  beforeAll(async () => {
    oscar = await startOscarSimulator({ apiKeys: [OSCAR_KEY] });
    stack = await startAppStack({ label: "admin-throttle", extraEnv: { OSCAR_API_BASE: oscar.baseUrl } });
    await installShop(stack);
    await connectShopToOscar(stack, oscar.baseUrl, OSCAR_KEY, TEST_SHOP);
  });
  afterAll(async () => {
    await stack?.close();
    await oscar?.close();
  });

  it("backs off by the restore rate when Shopify answers THROTTLED, and every enrichment completes", async () => {
    await stack.startWorker();
    // An empty bucket that refills slowly: each enrichment's query must wait for points.
    stack.fakeAdmin.setThrottle({ maximumAvailable: 400, currentlyAvailable: 0, restoreRate: 50 }, TEST_SHOP);
    const customers = stack.fakeAdmin.store(TEST_SHOP).customers.slice(0, 5);
    const started = Date.now();
    const conversations = customers.map((c) => oscar.scenario.shopperOpensConversation({ email: c.email, name: c.firstName }).conversationId);
    await waitFor("every note", () => conversations.every((id) => oscar.inspect.notes(id).length === 1), 30_000);
    const elapsed = Date.now() - started;

    const lookups = stack.fakeAdmin.requests.filter((r) => r.operationName === "CustomerForConversation");
    const throttled = lookups.filter((r) => r.throttled);
    // Shopify said THROTTLED at least once, the worker waited instead of failing, and each
    // conversation still got exactly one note.
    expect(throttled.length).toBeGreaterThan(0);
    expect(lookups.length - throttled.length).toBe(5);
    for (const id of conversations) expect(oscar.inspect.notes(id)).toHaveLength(1);
    const queue = new Queue("oscar-events", { connection: { url: stack.env.REDIS_URL }, prefix: stack.env.REDIS_PREFIX });
    expect(await queue.getFailedCount()).toBe(0);
    await queue.close();
    // Paying 5 queries from an empty bucket at 50 points/s takes seconds, not the 30 s limit.
    expect(elapsed).toBeLessThan(30_000);
  });
});
