// The fake's order actions over real HTTP, with the app's own operations: the Shopify rules an app
// acting on orders runs into (scopes, the idempotency key refundCreate requires, what can be refunded
// or cancelled, unique discount codes). Expected figures come from the fixture's orders.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DISCOUNT_CODE_FOR_CUSTOMER_CREATE_MUTATION } from "../../app/graphql/discount-code-for-customer-create";
import { ORDER_CANCEL_FOR_COMMAND_MUTATION } from "../../app/graphql/order-cancel-for-command";
import { REFUND_CREATE_FOR_COMMAND_MUTATION } from "../../app/graphql/refund-create-for-command";
import { SUGGESTED_REFUND_FOR_COMMAND_QUERY } from "../../app/graphql/suggested-refund-for-command";
import { createStoreFixture, type OrderFixture } from "./fixtures";
import { orderActionsOf, saleTransactionId } from "./order-actions";
import { ADMIN_API_VERSION } from "./schema";
import { DEFAULT_GRANTED_SCOPES, SHOP_DOMAIN_HEADER, startFakeShopifyAdmin, type FakeShopifyAdmin } from "./server";

const SHOP = "order-actions-shop.myshopify.com";
type Body = { data?: Record<string, any>; errors?: { message: string; extensions?: { code?: string } }[] }; // eslint-disable-line @typescript-eslint/no-explicit-any

let admin: FakeShopifyAdmin;
const now = new Date();

async function graphql(query: string, variables: Record<string, unknown>, scopes: readonly string[] = [...DEFAULT_GRANTED_SCOPES, "write_orders", "write_discounts"]): Promise<Body> {
  const response = await fetch(`${admin.url}/admin/api/${ADMIN_API_VERSION}/graphql.json`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-shopify-access-token": admin.issueAccessToken(SHOP, scopes), [SHOP_DOMAIN_HEADER]: SHOP },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as Body;
}

const store = () => admin.store(SHOP);
const amountOf = (bag: { shopMoney: { amount: string } }) => Number(bag.shopMoney.amount);
const recentOrderOf = (firstName: string): OrderFixture => {
  const customer = store().customers.find((c) => c.firstName === firstName)!;
  return store().orders.filter((o) => o.customerId === customer.id).sort((a, b) => b.processedAt.localeCompare(a.processedAt))[0];
};
const refundInput = (order: OrderFixture, amount: string, extra: Record<string, unknown> = {}) => ({
  orderId: order.id,
  currency: order.currencyCode,
  transactions: [{ orderId: order.id, amount, gateway: "shopify_payments", kind: "REFUND", parentId: saleTransactionId(order) }],
  ...extra,
});

beforeAll(async () => {
  admin = await startFakeShopifyAdmin({ port: 0, stores: { [SHOP]: createStoreFixture({ shopDomain: SHOP, now }) } });
});
afterAll(async () => {
  await admin.close();
});

describe("the fake's order actions", () => {
  it("refuses every action without its write scope, with Shopify's ACCESS_DENIED shape", async () => {
    const order = recentOrderOf("Liam");
    const body = await graphql(ORDER_CANCEL_FOR_COMMAND_MUTATION, { orderId: order.id, restock: true }, DEFAULT_GRANTED_SCOPES);
    expect(body.errors?.[0]).toMatchObject({ message: "Access denied for orderCancel field. Required access: `write_orders` access scope.", extensions: { code: "ACCESS_DENIED" } });
    expect(body.data?.orderCancel).toBeNull();
    expect(order.cancelledAt).toBeNull();
  });

  it("suggests the remaining amount and the order's payment to refund against", async () => {
    const order = recentOrderOf("Maya");
    const body = await graphql(SUGGESTED_REFUND_FOR_COMMAND_QUERY, { orderId: order.id, suggestFullRefund: true });
    const suggestion = body.data!.order.suggestedRefund;
    expect(Number(suggestion.maximumRefundableSet.shopMoney.amount)).toBeCloseTo(amountOf(order.totalPriceSet) - amountOf(order.totalRefundedSet), 2);
    expect(suggestion.suggestedTransactions[0]).toMatchObject({ gateway: "shopify_payments", parentTransaction: { id: saleTransactionId(order) } });
  });

  it("requires refundCreate's idempotency key and refunds once per key", async () => {
    const order = recentOrderOf("Maya");
    const before = amountOf(order.totalRefundedSet);
    const withoutKey = await graphql(REFUND_CREATE_FOR_COMMAND_MUTATION.replace(" @idempotent(key: $idempotencyKey)", "").replace(", $idempotencyKey: String!", ""), { input: refundInput(order, "3.00") });
    expect(withoutKey.errors?.[0].message).toContain("@idempotent");
    expect(amountOf(order.totalRefundedSet)).toBe(before);

    for (let i = 0; i < 2; i++) {
      const body = await graphql(REFUND_CREATE_FOR_COMMAND_MUTATION, { idempotencyKey: "refund-key-1", input: refundInput(order, "3.00") });
      expect(body.data?.refundCreate.userErrors).toEqual([]);
    }
    expect(amountOf(order.totalRefundedSet)).toBeCloseTo(before + 3, 2);
    expect(order.displayFinancialStatus).toBe("PARTIALLY_REFUNDED");

    const reused = await graphql(REFUND_CREATE_FOR_COMMAND_MUTATION, { idempotencyKey: "refund-key-1", input: refundInput(order, "4.00") });
    expect(reused.errors?.[0].extensions?.code).toBe("IDEMPOTENCY_KEY_CONFLICT");
    expect(amountOf(order.totalRefundedSet)).toBeCloseTo(before + 3, 2);
  });

  it("never refunds more than remains, nor in another currency", async () => {
    const order = recentOrderOf("Maya");
    const left = amountOf(order.totalPriceSet) - amountOf(order.totalRefundedSet);
    const before = amountOf(order.totalRefundedSet);
    const tooMuch = await graphql(REFUND_CREATE_FOR_COMMAND_MUTATION, { idempotencyKey: "refund-key-2", input: refundInput(order, (left + 0.01).toFixed(2)) });
    expect(tooMuch.data?.refundCreate.userErrors[0].message).toContain("can't be greater than the refundable amount");
    const euros = await graphql(REFUND_CREATE_FOR_COMMAND_MUTATION, { idempotencyKey: "refund-key-3", input: refundInput(order, "1.00", { currency: "EUR" }) });
    expect(euros.data?.refundCreate.userErrors[0].field).toEqual(["currency"]);
    expect(amountOf(order.totalRefundedSet)).toBe(before);
  });

  it("cancels an order once, and never one with a shipped fulfillment", async () => {
    const unshipped = recentOrderOf("Liam");
    const first = await graphql(ORDER_CANCEL_FOR_COMMAND_MUTATION, { orderId: unshipped.id, restock: true, notifyCustomer: false });
    expect(first.data?.orderCancel).toMatchObject({ orderCancelUserErrors: [], jobResult: { done: true, status: "SUCCEEDED" } });
    expect(unshipped.cancelledAt).not.toBeNull();
    expect(unshipped.displayFinancialStatus).toBe("REFUNDED");
    const again = await graphql(ORDER_CANCEL_FOR_COMMAND_MUTATION, { orderId: unshipped.id, restock: true });
    expect(again.data?.orderCancel.orderCancelUserErrors[0]).toMatchObject({ code: "INVALID", message: "Order has already been cancelled" });

    const shipped = recentOrderOf("Maya");
    const refused = await graphql(ORDER_CANCEL_FOR_COMMAND_MUTATION, { orderId: shipped.id, restock: true });
    expect(refused.data?.orderCancel.orderCancelUserErrors[0].code).toBe("INVALID");
    expect(shipped.cancelledAt).toBeNull();
  });

  it("keeps discount codes unique in the shop and tied to the customers named", async () => {
    const maya = store().customers.find((c) => c.firstName === "Maya")!;
    const discount = (code: string) => ({
      title: "Sorry",
      code,
      startsAt: now.toISOString(),
      context: { customers: { add: [maya.id] } },
      customerGets: { value: { percentage: 0.1 }, items: { all: true } },
      usageLimit: 1,
      appliesOncePerCustomer: true,
    });
    expect((await graphql(DISCOUNT_CODE_FOR_CUSTOMER_CREATE_MUTATION, { discount: discount("SORRY-1") })).data?.discountCodeBasicCreate.userErrors).toEqual([]);
    const taken = await graphql(DISCOUNT_CODE_FOR_CUSTOMER_CREATE_MUTATION, { discount: discount("sorry-1") });
    expect(taken.data?.discountCodeBasicCreate.userErrors[0]).toMatchObject({ code: "TAKEN", message: "Code must be unique. Please try a different code." });
    const tooBig = await graphql(DISCOUNT_CODE_FOR_CUSTOMER_CREATE_MUTATION, { discount: { ...discount("SORRY-2"), customerGets: { value: { percentage: 1.5 }, items: { all: true } } } });
    expect(tooBig.data?.discountCodeBasicCreate.userErrors[0].code).toBe("VALUE_OUTSIDE_RANGE");
    expect(orderActionsOf(store()).discountCodes.map((d) => ({ code: d.code, customerIds: d.customerIds, usageLimit: d.usageLimit }))).toEqual([{ code: "SORRY-1", customerIds: [maya.id], usageLimit: 1 }]);
  });
});
