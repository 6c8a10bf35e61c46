import { Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OscarSimulator } from "../sim/oscar/server";
import { TEST_SHOP, type AppStack } from "./harness/app-stack";
import { startConnectedStack } from "./harness/oscar-webhook";
import { waitFor } from "./harness/wait";

const OSCAR_KEY = "osk_test_throttle_key_0005";

describe("Shopify Admin API cost throttling", () => {
  let oscar: OscarSimulator;
  let stack: AppStack;

  let stage: Awaited<ReturnType<typeof startConnectedStack>>;

  beforeAll(async () => {
    stage = await startConnectedStack({ label: "admin-throttle", oscarKey: OSCAR_KEY, worker: false });
    ({ oscar, stack } = stage);
  });
  afterAll(async () => {
    await stage?.close();
  });

  it("backs off by the restore rate when Shopify answers THROTTLED, and every enrichment completes", async () => {
    await stack.startWorker();
    // An empty, small bucket that refills slowly: five lookups at once cannot all be paid, so
    // Shopify must answer THROTTLED however slow this machine is, and each must wait its turn.
    // (A look-up is a search for candidates, about 12 points, then the match read by id, about 20:
    // at 20 points/s the first cannot be paid for ~0.6 s.)
    stack.fakeAdmin.setThrottle({ maximumAvailable: 40, currentlyAvailable: 0, restoreRate: 20 }, TEST_SHOP);
    const customers = stack.fakeAdmin.store(TEST_SHOP).customers.slice(0, 5);
    const started = Date.now();
    const conversations = customers.map((c) => oscar.scenario.shopperOpensConversation({ email: c.email, name: c.firstName }).conversationId);
    await waitFor("every note", () => conversations.every((id) => oscar.inspect.notes(id).length === 1), 40_000);
    const elapsed = Date.now() - started;

    const lookups = stack.fakeAdmin.requests.filter((r) => r.operationName === "CustomerForConversation" || r.operationName === "CustomerById");
    const throttled = lookups.filter((r) => r.throttled);
    // Shopify said THROTTLED at least once, the worker waited instead of failing, and each
    // conversation still got exactly one note: five searches and five reads by id were paid for.
    expect(throttled.length).toBeGreaterThan(0);
    expect(lookups.filter((r) => !r.throttled).map((r) => r.operationName).sort()).toEqual([...Array(5).fill("CustomerById"), ...Array(5).fill("CustomerForConversation")]);
    for (const id of conversations) expect(oscar.inspect.notes(id)).toHaveLength(1);
    const queue = new Queue("oscar-events", { connection: { url: stack.env.REDIS_URL }, prefix: stack.env.REDIS_PREFIX });
    expect(await queue.getFailedCount()).toBe(0);
    await queue.close();
    // Paying 5 queries from an empty bucket at 20 points/s takes about 5 s, well within the limit.
    expect(elapsed).toBeLessThan(40_000);
  }, 60_000);
});
