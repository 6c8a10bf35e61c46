// Agent order commands end to end: an agent's private note in the Oscar simulator → Oscar's signed
// webhook → the real ingest route → the worker → the fake Shopify Admin API, and the app's private
// notes back in the conversation. Expected amounts come from the store's fixture data, never from
// the app: a refund of the shipping is the order's shipping charge, a cancellation refunds what was
// paid and not yet refunded.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadOrderCommandSettings, saveOrderCommandSettings, type OrderCommandSettings } from "../app/models/order-commands.server";
import { signShopperIdentity } from "../app/storefront/identity.server";
import type { OscarSimulator } from "../sim/oscar/server";
import type { CustomerFixture } from "../sim/shopify-admin/fixtures";
import { moneyBag } from "../sim/shopify-admin/money";
import { orderActionsOf } from "../sim/shopify-admin/order-actions";
import { DEFAULT_GRANTED_SCOPES } from "../sim/shopify-admin/server";
import { TEST_API_SECRET, TEST_SHOP, type AppStack } from "./harness/app-stack";
import { deliverOscarEvent, oscarWebhookTarget, startConnectedStack } from "./harness/oscar-webhook";
import { waitForOscarWorkSettled } from "./harness/settled";
import { sendShopifyWebhook, shopifyDelivery, shopifyPayloads } from "./harness/shopify-webhooks";
import { waitFor } from "./harness/wait";

const OSCAR_KEY = "osk_test_order_commands_0021";
const COMMAND_SCOPES = ["write_orders", "write_discounts", "write_merchant_managed_fulfillment_orders"];
const DAY_MS = 86_400_000;
const numeric = (gid: string) => gid.split("/").pop()!;
const money = (amount: number) => `$${amount.toFixed(2)}`;
const amountOf = (bag: { shopMoney: { amount: string } }) => Number(bag.shopMoney.amount);

describe("agent order commands", () => {
  let oscar: OscarSimulator;
  let stack: AppStack;
  let stage: Awaited<ReturnType<typeof startConnectedStack>>;
  let ada: string; // on the shop's list
  let grace: string; // not on it

  const store = () => stack.fakeAdmin.store(TEST_SHOP);
  const customer = (firstName: string) => store().customers.find((c) => c.firstName === firstName)!;
  /** Orders the app can see (Shopify's 60-day window), newest first. */
  const recentOrdersOf = (c: CustomerFixture) =>
    store().orders.filter((o) => o.customerId === c.id && Date.now() - Date.parse(o.createdAt) < 59 * DAY_MS).sort((a, b) => b.processedAt.localeCompare(a.processedAt));
  /** A deep copy of the store's order and of everything actions leave behind, to prove nothing changed. */
  const snapshot = () =>
    JSON.stringify({ orders: store().orders, products: store().products, refunds: orderActionsOf(store()).refunds, codes: orderActionsOf(store()).discountCodes, mails: orderActionsOf(store()).notifications });

  async function grantScopes(scopes: string[]) {
    stack.fakeAdmin.setGrantedScopes(scopes, TEST_SHOP);
    // The merchant approved them: Shopify tells the app with app/scopes_update, through the real route.
    const response = await sendShopifyWebhook(stack.appUrl, shopifyDelivery("app/scopes_update", TEST_SHOP, shopifyPayloads.scopesUpdate(scopes)));
    expect(response.status).toBe(200);
  }

  const settings = (changes: Partial<OrderCommandSettings> = {}) =>
    saveOrderCommandSettings(stack.db, TEST_SHOP, {
      enabledCommands: ["cancel", "refund", "address", "discount", "resend-tracking"],
      allowedAgentIds: [ada],
      maxRefundAmount: "1000.00",
      maxDiscountPercent: 15,
      notifyCustomer: true,
      ...changes,
    });

  /** A conversation with a signed-in customer, once the app's enrichment note is in. */
  async function conversationWith(c: CustomerFixture) {
    const identity = signShopperIdentity({ secret: TEST_API_SECRET, shop: TEST_SHOP, customerId: numeric(c.id), email: c.email, now: new Date() });
    const { conversationId } = oscar.scenario.shopperOpensConversation({ email: c.email, name: c.firstName, customAttributes: { oscar_identity: identity, user_id: numeric(c.id) } });
    await waitFor("the enrichment note", () => appNotes(conversationId).length === 1);
    return conversationId;
  }

  /** What the app wrote for agents (markdown private notes); agents' own notes are plain text. */
  const appNotes = (conversationId: string) => oscar.inspect.notes(conversationId).filter((m) => m.content_type === "markdown");

  /** An agent writes a note; resolves with the app's answer to it. */
  async function agentNote(conversationId: string, text: string, agentId = ada) {
    const before = appNotes(conversationId).length;
    oscar.scenario.agentWritesNote(conversationId, text, agentId);
    const answer = await waitFor(`the app's answer to ${text.split("\n")[0]}`, () => appNotes(conversationId).length > before && appNotes(conversationId)[before], 30_000);
    return rendered(answer.content ?? "");
  }

  /** A note as the agent reads it: markdown's backslash escapes (every value the app quotes has them) rendered. */
  const rendered = (markdown: string) => markdown.replace(/\\([!-/:-@[-`{-~])/g, "$1");

  const signedInAttributes = (c: CustomerFixture) => ({
    oscar_identity: signShopperIdentity({ secret: TEST_API_SECRET, shop: TEST_SHOP, customerId: numeric(c.id), email: c.email, now: new Date() }),
    user_id: numeric(c.id),
  });

  /** An agent's note as Oscar delivers it, signed, to the real ingest route, with the contact as given. */
  async function deliverAgentNote(conversationId: string, messageId: string, content: string, customAttributes: Record<string, unknown>, eventId = `evt_${messageId}`) {
    const target = await oscarWebhookTarget(stack.db, stack.appUrl, TEST_SHOP);
    const body = JSON.stringify({
      id: eventId,
      type: "message.created",
      data: {
        conversation_id: conversationId,
        message: { id: messageId, content, message_type: "outgoing", private: true, sender: { type: "agent", id: ada, name: "Ada" } },
        contact: { id: "contact_x", email: null, custom_attributes: customAttributes },
      },
    });
    const response = await deliverOscarEvent(target.url, body, { secret: target.secret });
    expect(response.status).toBeLessThan(300);
  }

  const codeIn = (preview: string) => /\/confirm ([A-Z0-9]{6})/.exec(preview)?.[1] ?? "";

  beforeAll(async () => {
    stage = await startConnectedStack({ label: "order-commands", oscarKey: OSCAR_KEY, worker: true });
    ({ oscar, stack } = stage);
    [ada, grace] = oscar.inspect.accounts()[0].agentIds;
    await grantScopes([...DEFAULT_GRANTED_SCOPES, ...COMMAND_SCOPES]);
  }, 180_000);
  afterAll(async () => {
    await stage?.close();
  });

  it("refunds an amount: the preview says what, how much and who is told; the confirmation refunds it once", async () => {
    await settings();
    const maya = customer("Maya");
    const order = recentOrdersOf(maya)[0];
    const refundedBefore = amountOf(order.totalRefundedSet);
    const conversationId = await conversationWith(maya);

    const preview = await agentNote(conversationId, `/refund ${order.name} 5.5`);
    expect(preview).toContain(`Refund ${money(5.5)} on order ${order.name}`);
    expect(preview).toContain("Restock the items: no");
    expect(preview).toContain("Shopify emails the customer the refund");
    expect(codeIn(preview)).toMatch(/^[A-Z2-9]{6}$/);
    // A preview changes nothing.
    expect(amountOf(order.totalRefundedSet)).toBe(refundedBefore);

    const result = await agentNote(conversationId, `/confirm ${codeIn(preview)}`);
    expect(result).toContain(`**Done:** **Refund ${money(5.5)} on order ${order.name}**`);
    expect(amountOf(order.totalRefundedSet)).toBeCloseTo(refundedBefore + 5.5, 2);
    expect(orderActionsOf(store()).notifications).toContainEqual(expect.objectContaining({ kind: "refund", orderId: order.id }));
    const row = await stack.db.orderAction.findFirstOrThrow({ where: { shop: TEST_SHOP, conversationId, command: "refund" } });
    expect(row).toMatchObject({ status: "done", agentId: ada, confirmedBy: ada, orderName: order.name, shopifyCustomerId: maya.id });
    expect(row.codeHash).not.toContain(codeIn(preview));

    // The same code again: answered clearly, never a second refund.
    const again = await agentNote(conversationId, `/confirm ${codeIn(preview)}`);
    expect(again).toContain(`Code ${codeIn(preview)} was already used (done)`);
    expect(amountOf(order.totalRefundedSet)).toBeCloseTo(refundedBefore + 5.5, 2);
    expect(orderActionsOf(store()).refunds.filter((r) => r.orderId === order.id)).toHaveLength(1);
  });

  it("refunds the shipping as Shopify calculates it, and only once", async () => {
    await settings();
    const c = customer("Maya");
    const o = recentOrdersOf(c)[0];
    // GIVEN the order was charged $8.00 shipping (her big orders ship free in the fixture).
    const shipping = 8;
    o.totalShippingPriceSet = moneyBag(shipping, o.currencyCode);
    o.totalPriceSet = moneyBag(amountOf(o.totalPriceSet) + shipping, o.currencyCode);
    o.currentTotalPriceSet = moneyBag(amountOf(o.currentTotalPriceSet) + shipping, o.currencyCode);
    const conversationId = await conversationWith(c);

    const preview = await agentNote(conversationId, `/refund ${o.name} shipping`);
    expect(preview).toContain(`Refund ${money(shipping)} on order ${o.name}** (its shipping, as Shopify calculates it)`);
    const result = await agentNote(conversationId, `/confirm ${codeIn(preview)}`);
    expect(result).toContain("**Done:**");
    expect(orderActionsOf(store()).refunds.filter((r) => r.orderId === o.id).at(-1)).toMatchObject({ amount: shipping, shippingAmount: shipping });

    const second = await agentNote(conversationId, `/refund ${o.name} shipping`);
    expect(second).toContain(`Order ${o.name}'s shipping was free or is already refunded`);
  });

  it("changes an unshipped order's shipping address to the one the agent typed", async () => {
    await settings();
    const c = customer("Liam");
    const order = recentOrdersOf(c)[0];
    expect(order.displayFulfillmentStatus).toBe("UNFULFILLED");
    const conversationId = await conversationWith(c);

    const preview = await agentNote(conversationId, `/address ${order.name}\nJane Doe\n12 Main St\nApt 4\nPortland\nOR 97205\nUS`);
    expect(preview).toContain(`**Change the shipping address of order ${order.name}** to: Jane Doe, 12 Main St, Apt 4, Portland, OR 97205, US`);
    expect(preview).toContain("The customer is not notified by Shopify");
    expect(order.shippingAddress?.address1).not.toBe("12 Main St");

    await agentNote(conversationId, `/confirm ${codeIn(preview)}`);
    expect(order.shippingAddress).toMatchObject({ firstName: "Jane", lastName: "Doe", address1: "12 Main St", city: "Portland", provinceCode: "OR", zip: "97205", countryCodeV2: "US" });
  });

  it("cancels an unshipped order: refunds what was paid, restocks, tells the customer", async () => {
    await settings();
    const c = customer("Liam");
    const order = recentOrdersOf(c)[0];
    expect(order.fulfillments).toHaveLength(0);
    const paid = amountOf(order.totalPriceSet) - amountOf(order.totalRefundedSet);
    const variant = (id: string) => store().products.flatMap((p) => p.variants).find((v) => v.id === id)!;
    const stockBefore = order.lineItems.map((line) => variant(line.variantId).inventoryQuantity);
    const conversationId = await conversationWith(c);

    const preview = await agentNote(conversationId, `/cancel ${order.name}`);
    expect(preview).toContain(`**Cancel order ${order.name}**`);
    expect(preview).toContain(`Refund ${money(paid)} to the original payment method`);
    expect(preview).toContain("Restock the items: yes");
    expect(preview).toContain("Shopify emails the customer the cancellation");
    expect(order.cancelledAt).toBeNull();

    const result = await agentNote(conversationId, `/confirm ${codeIn(preview)}`);
    expect(result).toContain("**Done:**");
    expect(order.cancelledAt).not.toBeNull();
    expect(amountOf(order.totalRefundedSet)).toBeCloseTo(amountOf(order.totalPriceSet), 2);
    expect(order.lineItems.map((line) => variant(line.variantId).inventoryQuantity)).toEqual(order.lineItems.map((line, i) => stockBefore[i] + line.quantity));
    expect(orderActionsOf(store()).notifications).toContainEqual(expect.objectContaining({ kind: "order_cancelled", orderId: order.id }));
  });

  it("creates a single-use discount code only this customer can use", async () => {
    await settings();
    const maya = customer("Maya");
    const conversationId = await conversationWith(maya);
    const preview = await agentNote(conversationId, "/discount 10%");
    const code = /Create discount code (THANKS-[A-Z0-9]{6})/.exec(preview)?.[1];
    expect(code).toBeDefined();
    expect(preview).toContain("10% off everything, usable once, only by this conversation's signed-in customer");
    expect(orderActionsOf(store()).discountCodes.find((d) => d.code === code)).toBeUndefined();

    const result = await agentNote(conversationId, `/confirm ${codeIn(preview)}`);
    expect(result).toContain("**Done:**");
    expect(orderActionsOf(store()).discountCodes.find((d) => d.code === code)).toMatchObject({ percentage: 0.1, customerIds: [maya.id], usageLimit: 1, appliesOncePerCustomer: true });
  });

  it("sends the shipment's tracking to the customer again", async () => {
    await settings();
    const maya = customer("Maya");
    const order = recentOrdersOf(maya)[0];
    const tracking = order.fulfillments[0].trackingInfo[0];
    const conversationId = await conversationWith(maya);
    const mailsBefore = orderActionsOf(store()).notifications.filter((n) => n.kind === "shipping_update" && n.orderId === order.id).length;

    const preview = await agentNote(conversationId, `/resend-tracking ${order.name}`);
    expect(preview).toContain(tracking.number);
    expect(preview).toContain("Shopify emails the customer the shipping update");
    const result = await agentNote(conversationId, `/confirm ${codeIn(preview)}`);
    expect(result).toContain("**Done:**");
    expect(orderActionsOf(store()).notifications.filter((n) => n.kind === "shipping_update" && n.orderId === order.id)).toHaveLength(mailsBefore + 1);
  });

  it("acts for the customer the conversation was matched to after the shopper's sign-in lapsed", async () => {
    await settings();
    const maya = customer("Maya");
    const conversationId = await conversationWith(maya);
    // The shopper has left: the note's event carries the contact without any identity.
    await deliverAgentNote(conversationId, "msg_identity_lapsed", `/refund ${recentOrdersOf(maya)[0].name} 1.00`, {});
    await waitForOscarWorkSettled(stack, oscar);
    expect(rendered(appNotes(conversationId)[1]?.content ?? "")).toContain(`Refund ${money(1)} on order ${recentOrdersOf(maya)[0].name}`);
  });

  it("lists what this shop allows on /help", async () => {
    await settings({ enabledCommands: ["refund", "discount"], maxRefundAmount: "40.00", maxDiscountPercent: 15 });
    const conversationId = await conversationWith(customer("Maya"));
    const help = await agentNote(conversationId, "/help");
    expect(help).toContain("/refund #1025 shipping");
    expect(help).toContain("refunds up to 40.00");
    expect(help).toContain("/discount 10%` (up to 15%)");
    expect(help).not.toContain("/cancel");
    const before = snapshot();
    expect(await agentNote(conversationId, `/cancel ${recentOrdersOf(customer("Maya"))[0].name}`)).toContain("The merchant has not turned on /cancel");
    expect(snapshot()).toBe(before);
  });

  describe("refuses, with a clear note and no change in the store", () => {
    it("a conversation with a shopper who only typed a customer's email (not signed in)", async () => {
      await settings();
      const maya = customer("Maya");
      // Her contact carries no storefront identity now (a null clears the attribute).
      const { conversationId } = oscar.scenario.shopperOpensConversation({ email: maya.email, name: "Maya?", customAttributes: { oscar_identity: null, user_id: null } });
      await waitFor("the enrichment note", () => appNotes(conversationId).length === 1);
      const before = snapshot();
      const answer = await agentNote(conversationId, `/refund ${recentOrdersOf(maya)[0].name} 1.00`);
      expect(answer).toContain("This conversation is not matched to a signed-in customer of the store");
      expect(snapshot()).toBe(before);
    });

    it("a note whose event carries another signed-in customer than the one the conversation was matched to", async () => {
      await settings();
      const maya = customer("Maya");
      const liam = customer("Liam");
      const conversationId = await conversationWith(maya);
      const before = snapshot();
      await deliverAgentNote(conversationId, "msg_other_identity", `/refund ${recentOrdersOf(liam)[0].name} 1.00`, signedInAttributes(liam));
      await waitForOscarWorkSettled(stack, oscar);
      expect(rendered(appNotes(conversationId)[1]?.content ?? "")).toContain("This conversation is not matched to a signed-in customer of the store");
      expect(snapshot()).toBe(before);
    });

    it("an agent who is not on the shop's list", async () => {
      await settings();
      const liam = customer("Liam");
      const conversationId = await conversationWith(liam);
      const before = snapshot();
      const answer = await agentNote(conversationId, `/cancel ${recentOrdersOf(liam)[0].name}`, grace);
      expect(answer).toContain("You are not on this shop's list of agents who may use order commands");
      expect(answer).not.toContain("/confirm");
      expect(snapshot()).toBe(before);
      expect(await stack.db.orderAction.findFirst({ where: { shop: TEST_SHOP, conversationId } })).toMatchObject({ status: "refused", agentId: grace });
    });

    it("an order that belongs to another customer", async () => {
      await settings();
      const conversationId = await conversationWith(customer("Maya"));
      const liamsOrder = recentOrdersOf(customer("Liam"))[0];
      const before = snapshot();
      const answer = await agentNote(conversationId, `/refund ${liamsOrder.name} 1.00`);
      expect(answer).toContain(`Order ${liamsOrder.name} is not one of this signed-in customer's orders`);
      expect(answer).not.toContain("/confirm");
      expect(snapshot()).toBe(before);
    });

    it("a refund above the shop's limit", async () => {
      await settings({ maxRefundAmount: "20.00" });
      const maya = customer("Maya");
      const order = recentOrdersOf(maya)[0];
      const conversationId = await conversationWith(maya);
      const before = snapshot();
      const answer = await agentNote(conversationId, `/refund ${order.name} 20.01`);
      expect(answer).toContain("above the largest refund this shop allows by command (20.00)");
      expect(snapshot()).toBe(before);
    });

    it("a discount above the shop's limit", async () => {
      await settings({ maxDiscountPercent: 15 });
      const conversationId = await conversationWith(customer("Maya"));
      const before = snapshot();
      expect(await agentNote(conversationId, "/discount 20%")).toContain("20% is above the largest discount this shop allows (15%)");
      expect(snapshot()).toBe(before);
    });

    it("an expired code", async () => {
      await settings();
      const maya = customer("Maya");
      const conversationId = await conversationWith(maya);
      const preview = await agentNote(conversationId, `/refund ${recentOrdersOf(maya)[0].name} 2.00`);
      // The preview's five minutes run out (moved back in the database rather than waited for).
      await stack.db.orderAction.updateMany({ where: { shop: TEST_SHOP, conversationId }, data: { expiresAt: new Date(Date.now() - 60_000) } });
      const before = snapshot();
      const answer = await agentNote(conversationId, `/confirm ${codeIn(preview)}`);
      expect(answer).toContain(`Code ${codeIn(preview)} expired at`);
      expect(snapshot()).toBe(before);
      expect(await stack.db.orderAction.findFirst({ where: { shop: TEST_SHOP, conversationId } })).toMatchObject({ status: "expired" });
    });

    it("a made-up code, and a real code from another conversation", async () => {
      await settings();
      const maya = customer("Maya");
      const first = await conversationWith(maya);
      const preview = await agentNote(first, `/refund ${recentOrdersOf(maya)[0].name} 3.00`);
      const second = await conversationWith(maya);
      const before = snapshot();
      expect(await agentNote(second, "/confirm ZZZZZZ")).toContain("No preview in this conversation has the code ZZZZZZ");
      expect(await agentNote(second, `/confirm ${codeIn(preview)}`)).toContain(`No preview in this conversation has the code ${codeIn(preview)}`);
      expect(snapshot()).toBe(before);
      expect(await stack.db.orderAction.findFirst({ where: { shop: TEST_SHOP, conversationId: first } })).toMatchObject({ status: "previewed" });
    });

    it("a cancellation Shopify refuses (the order has shipped): Shopify's reason, nothing changed", async () => {
      await settings({ maxRefundAmount: "5000.00" });
      const maya = customer("Maya");
      const shipped = recentOrdersOf(maya).find((o) => o.fulfillments.some((f) => f.status === "SUCCESS"))!;
      const conversationId = await conversationWith(maya);
      const preview = await agentNote(conversationId, `/cancel ${shipped.name}`);
      expect(preview).toContain("Heads-up: part of this order has shipped");
      const before = snapshot();
      const answer = await agentNote(conversationId, `/confirm ${codeIn(preview)}`);
      expect(answer).toContain("**Shopify refused:**");
      expect(answer).toContain("Cannot cancel an order with fulfillments that can't be cancelled");
      expect(answer).toContain("Nothing was changed.");
      expect(snapshot()).toBe(before);
      expect(await stack.db.orderAction.findFirst({ where: { shop: TEST_SHOP, conversationId } })).toMatchObject({ status: "failed" });
    });

    it("a command whose scope the merchant has not granted", async () => {
      await grantScopes([...DEFAULT_GRANTED_SCOPES, "write_orders"]);
      // app/scopes_update turned /discount off; settings saved again before Shopify's grant is back (or
      // a webhook still on its way) leave it on without the scope: the engine checks the grant itself.
      expect((await loadOrderCommandSettings(stack.db, TEST_SHOP)).enabledCommands).not.toContain("discount");
      await settings();
      try {
        const conversationId = await conversationWith(customer("Maya"));
        const before = snapshot();
        expect(await agentNote(conversationId, "/discount 5%")).toContain("The merchant has not granted the app write_discounts");
        expect(snapshot()).toBe(before);
      } finally {
        await grantScopes([...DEFAULT_GRANTED_SCOPES, ...COMMAND_SCOPES]);
      }
    });
  });

  it("previews a redelivered command note once, acts only on confirmation, and once for a redelivered confirmation", async () => {
    await settings();
    const maya = customer("Maya");
    const order = recentOrdersOf(maya)[0];
    const conversationId = await conversationWith(maya);
    // The same note (one message id) delivered twice by Oscar, as two deliveries with their own event ids.
    const deliverTwice = async (messageId: string, content: string) => {
      for (const suffix of ["a", "b"]) await deliverAgentNote(conversationId, messageId, content, signedInAttributes(maya), `evt_${messageId}_${suffix}`);
    };
    const before = snapshot();
    const refundedBefore = amountOf(order.totalRefundedSet);
    await deliverTwice("msg_redelivered_command", `/refund ${order.name} 4.00`);
    await waitForOscarWorkSettled(stack, oscar);
    const previews = appNotes(conversationId).filter((n) => n.content?.startsWith("**Order command preview**"));
    expect(previews).toHaveLength(1);
    // The app's own notes came back as message.created too, and none was taken for a command: the enrichment note and the preview, no more.
    expect(appNotes(conversationId)).toHaveLength(2);
    expect(await stack.db.orderAction.count({ where: { shop: TEST_SHOP, conversationId } })).toBe(1);
    expect(snapshot()).toBe(before);

    // The confirmation, delivered twice as well: one refund, one result note, no "already used".
    await deliverTwice("msg_redelivered_confirm", `/confirm ${codeIn(rendered(previews[0].content ?? ""))}`);
    await waitForOscarWorkSettled(stack, oscar);
    expect(amountOf(order.totalRefundedSet)).toBeCloseTo(refundedBefore + 4, 2);
    const afterPreview = appNotes(conversationId).slice(2).map((n) => rendered(n.content ?? ""));
    expect(afterPreview).toHaveLength(1);
    expect(afterPreview[0]).toContain(`**Done:** **Refund ${money(4)} on order ${order.name}**`);
  });
});
