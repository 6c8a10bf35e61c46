import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OscarSimulator } from "../sim/oscar/server";
import { TEST_SHOP, type AppStack } from "./harness/app-stack";
import { startConnectedStack } from "./harness/oscar-webhook";
import { signedInAs } from "./harness/signed-in";
import { waitFor } from "./harness/wait";

const OSCAR_KEY = "osk_test_crash_key_0003";

describe("a worker killed with SIGKILL in the middle of a job", () => {
  let oscar: OscarSimulator;
  let stack: AppStack;

  let stage: Awaited<ReturnType<typeof startConnectedStack>>;

  beforeAll(async () => {
    // Short locks so the killed worker's job comes back within the test, not after 30 s.
    stage = await startConnectedStack({ label: "worker-crash", oscarKey: OSCAR_KEY, worker: false, extraEnv: { WORKER_LOCK_MS: "1500" } });
    ({ oscar, stack } = stage);
  });
  afterAll(async () => {
    await stage?.close();
  });

  it("leaves the job to another worker, which completes it without a second note", async () => {
    const first = await stack.startWorker();
    // Oscar applies the note at once but answers 4 s later: the worker dies while waiting for it.
    oscar.setFaults({ latencyMs: 4_000 });
    const maya = stack.fakeAdmin.store(TEST_SHOP).customers[0];
    const { conversationId, contactId } = oscar.scenario.shopperOpensConversation({ email: maya.email, name: "Maya", customAttributes: signedInAs(maya) });
    await waitFor("the note to be written", () => oscar.inspect.notes(conversationId).length === 1);
    first.child.kill("SIGKILL");
    await first.exited();
    expect(oscar.inspect.contact(contactId).custom_attributes.shopify_customer_id).toBeUndefined();

    oscar.setFaults({});
    await stack.startWorker();
    await waitFor("the job to complete on the second worker", () => oscar.inspect.contact(contactId).custom_attributes.shopify_customer_id, 20_000);
    const record = await waitFor("the enrichment record", () =>
      stack.db.conversationRecord.findFirst({ where: { shop: TEST_SHOP, conversationId, enrichedAt: { not: null } } }),
    );
    expect(record.enrichmentOutcome).toBe("customer");
    expect(oscar.inspect.notes(conversationId)).toHaveLength(1);
  });
});
