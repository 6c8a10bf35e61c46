import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_GRANTED_SCOPES } from "../sim/shopify-admin/server";
import type { OscarSimulator } from "../sim/oscar/server";
import { TEST_SHOP, type AppStack } from "./harness/app-stack";
import { startConnectedStack } from "./harness/oscar-webhook";
import { signedInAs } from "./harness/signed-in";
import { waitFor } from "./harness/wait";

/**
 * The agents' note, pinned to the character for one known customer of a fixed fixture store
 * (seed 1, dated 2026-10-15, prices in euros). The expected text is written out by hand from the
 * fixture's records (sim/shopify-admin/fixtures.ts: Maya Okafor, the store's VIP persona, and her
 * orders #1006 to #1031), with the escaping the note promises: every ASCII punctuation mark of a
 * record's text backslash-escaped, links only to the Shopify admin and to carriers.
 */

const OSCAR_KEY = "osk_test_pinned_note_01";
const STORE = { seed: 1, now: new Date("2026-10-15T15:00:00.000Z"), currencyCode: "EUR" };

// Maya has seven orders; the note lists her five latest, newest first. Her lifetime spend is the
// sum of all seven totals: 762.47 + 437.37 + 777.60 + 651.21 + 341.28 + 1156.65 + 1397.50 = 5524.08.
const MAYAS_NOTE = String.raw`✅ **Signed-in customer**: the store confirmed who this shopper is.

**Shopify customer: [Maya Okafor](https://admin.shopify.com/store/oscar-test-shop/customers/7400065400001)**
7 orders · €5\,524\.08 spent · customer since 2025\-08\-20 · tags: VIP, newsletter

| Order | Date | Payment | Fulfilment | Total | Tracking |
| --- | --- | --- | --- | --- | --- |
| [\#1031](https://admin.shopify.com/store/oscar-test-shop/orders/6100654000031) | 2026\-10\-12 | Paid | Fulfilled | €1\,397\.50 | [USPS 9400251659843661128304](https://tools.usps.com/go/TrackConfirmAction?tLabels=9400251659843661128304) |
| [\#1028](https://admin.shopify.com/store/oscar-test-shop/orders/6100654000028) | 2026\-09\-05 | Paid | Fulfilled | €1\,156\.65 | [UPS 1ZGNX5SL90GMAH18FX](https://www.ups.com/track?tracknum=1ZGNX5SL90GMAH18FX) |
| [\#1024](https://admin.shopify.com/store/oscar-test-shop/orders/6100654000024) | 2026\-07\-11 | Paid | Fulfilled | €341\.28 | [UPS 1ZPCJC0ABV821NA6TL](https://www.ups.com/track?tracknum=1ZPCJC0ABV821NA6TL) |
| [\#1023](https://admin.shopify.com/store/oscar-test-shop/orders/6100654000023) | 2026\-05\-17 | Paid | Fulfilled | €651\.21 | [DHL Express 5037802837](https://www.dhl.com/en/express/tracking.html?AWB=5037802837&brand=DHL) |
| [\#1019](https://admin.shopify.com/store/oscar-test-shop/orders/6100654000019) | 2026\-02\-16 | Paid | Fulfilled | €777\.60 | [USPS 9400746165412460072238](https://tools.usps.com/go/TrackConfirmAction?tLabels=9400746165412460072238) |`;

describe("the enrichment note agents read, as Oscar stored it", () => {
  let oscar: OscarSimulator;
  let stack: AppStack;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ oscar, stack, close } = await startConnectedStack({ label: "pinned-note", oscarKey: OSCAR_KEY, store: STORE }));
    // The fixture is dated in the past: with Shopify's 60-day window the app would see none of these
    // orders. A store whose app was approved for read_all_orders shows the whole history.
    stack.fakeAdmin.setGrantedScopes([...DEFAULT_GRANTED_SCOPES, "read_all_orders"], TEST_SHOP);
  });

  afterAll(async () => {
    await close?.();
  });

  it("for a signed-in customer: who she is, her five latest orders with status, total in the shop's currency and tracking link", async () => {
    const maya = stack.fakeAdmin.store(TEST_SHOP).customers[0];
    // The fixture is the one the expected text was written from.
    expect({ id: maya.id, email: maya.email, name: maya.displayName }).toEqual({ id: "gid://shopify/Customer/7400065400001", email: "maya.okafor@example.com", name: "Maya Okafor" });

    const { conversationId } = oscar.scenario.shopperOpensConversation({ email: maya.email, name: "Maya", customAttributes: signedInAs(maya), message: "Hello, a question about my last order" });
    const [note] = await waitFor("the enrichment note", () => oscar.inspect.notes(conversationId).length > 0 && oscar.inspect.notes(conversationId));
    // The last line is the idempotency marker the Oscar client appends (a hash of the event's key), not text for agents.
    const marker = /\n\nref: oc-[0-9a-f]{16}$/;
    expect(note.content).toMatch(marker);
    expect(note.content!.replace(marker, "")).toBe(MAYAS_NOTE);
  });
});
