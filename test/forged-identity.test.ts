import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signShopperIdentity } from "../app/storefront/identity.server";
import type { OscarSimulator } from "../sim/oscar/server";
import { TEST_API_SECRET, TEST_SHOP, type AppStack } from "./harness/app-stack";
import { startConnectedStack } from "./harness/oscar-webhook";
import { waitFor } from "./harness/wait";

const OSCAR_KEY = "osk_test_identity_key_0004";
const numeric = (gid: string) => gid.split("/").pop()!;

/**
 * What the worker makes of the identity a storefront widget passes to Oscar: only a token the app
 * signed for this shop, this customer and this email, still valid, makes a contact "verified".
 */
describe("shopper identity in the worker", () => {
  let oscar: OscarSimulator;
  let stack: AppStack;

  let stage: Awaited<ReturnType<typeof startConnectedStack>>;

  beforeAll(async () => {
    stage = await startConnectedStack({ label: "forged-identity", oscarKey: OSCAR_KEY, worker: true });
    ({ oscar, stack } = stage);
  });
  afterAll(async () => {
    await stage?.close();
  });

  async function enrichedAs(email: string, attributes: Record<string, unknown>) {
    const { conversationId, contactId } = oscar.scenario.shopperOpensConversation({ email, name: "Shopper", customAttributes: attributes });
    const [note] = await waitFor("the note", () => oscar.inspect.notes(conversationId).length === 1 && oscar.inspect.notes(conversationId));
    // The simulator keeps one contact per email, so an earlier case's value may still be there: read
    // it only once this conversation's enrichment is recorded (its contact update comes before that).
    await waitFor("the enrichment recorded", async () => (await stack.db.conversationRecord.findFirst({ where: { shop: TEST_SHOP, conversationId } }))?.enrichedAt);
    return { note: note.content ?? "", identity: oscar.inspect.contact(contactId).custom_attributes.shopify_identity };
  }

  it("verifies a shopper whose identity the app signed for that customer and email", async () => {
    const [maya] = stack.fakeAdmin.store(TEST_SHOP).customers;
    const token = signShopperIdentity({ secret: TEST_API_SECRET, shop: TEST_SHOP, customerId: numeric(maya.id), email: maya.email, now: new Date() });
    const result = await enrichedAs(maya.email, { oscar_identity: token, user_id: numeric(maya.id) });
    expect(result.identity).toBe("verified");
    expect(result.note).toContain("Signed-in customer");
  });

  it.each([
    ["another customer's email with no signature", () => ({})],
    [
      "a signature copied from another customer",
      (_victim: { id: string; email: string }, other: { id: string; email: string }) => ({
        oscar_identity: signShopperIdentity({ secret: TEST_API_SECRET, shop: TEST_SHOP, customerId: numeric(other.id), email: other.email, now: new Date() }),
        user_id: numeric(other.id),
      }),
    ],
    [
      "the victim's id with a signature made for someone else",
      (victim: { id: string; email: string }, other: { id: string; email: string }) => ({
        oscar_identity: signShopperIdentity({ secret: TEST_API_SECRET, shop: TEST_SHOP, customerId: numeric(other.id), email: other.email, now: new Date() }),
        user_id: numeric(victim.id),
      }),
    ],
    [
      "an expired signature",
      (victim: { id: string; email: string }) => ({
        oscar_identity: signShopperIdentity({ secret: TEST_API_SECRET, shop: TEST_SHOP, customerId: numeric(victim.id), email: victim.email, now: new Date(Date.now() - 3 * 86_400_000) }),
        user_id: numeric(victim.id),
      }),
    ],
    [
      "a signature made with another app's secret",
      (victim: { id: string; email: string }) => ({
        oscar_identity: signShopperIdentity({ secret: "someone-elses-secret-000000000000", shop: TEST_SHOP, customerId: numeric(victim.id), email: victim.email, now: new Date() }),
        user_id: numeric(victim.id),
      }),
    ],
  ])("never verifies %s", async (_case, attributesFor) => {
    const [, liam, sofia] = stack.fakeAdmin.store(TEST_SHOP).customers;
    const result = await enrichedAs(liam.email, attributesFor(liam, sofia));
    expect(result.identity).toBe("unverified");
    expect(result.note).toContain("Not verified");
    expect(result.note).not.toContain("Signed-in customer");
  });
});
