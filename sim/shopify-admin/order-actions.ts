// What the fake does when an app acts on an order: orderCancel, refundCreate (and the suggestedRefund
// it is priced with), orderUpdate's shipping address, discountCodeBasicCreate and
// fulfillmentTrackingInfoUpdate, each with the rules of Shopify's that a support app runs into.
// Sources: each mutation's description in the 2026-10 schema (.cache/shopify-admin-2026-10.json.gz)
// and its page on shopify.dev; wordings Shopify does not publish are marked "assumed".
import { randomUUID } from "node:crypto";
import { GraphQLError, Kind, type GraphQLResolveInfo, type ValueNode } from "graphql";
import type { CustomerFixture, FulfillmentFixture, MailingAddressFixture, OrderFixture, StoreFixture } from "./fixtures";
import { gid, legacyIdOf } from "./gid";
import { moneyBag, sumAmounts } from "./money";

/** A refund the store recorded: money back, and how much of it was shipping. */
export type RefundFixture = { __typename: "Refund"; id: string; orderId: string; amount: number; shippingAmount: number; note: string | null; createdAt: string };

export type DiscountCodeFixture = {
  __typename: "DiscountCodeNode";
  id: string;
  code: string;
  title: string;
  percentage: number;
  /** Only these customers may use it; empty means everyone. */
  customerIds: string[];
  usageLimit: number | null;
  appliesOncePerCustomer: boolean;
  startsAt: string;
  endsAt: string | null;
};

/** An email Shopify would send the customer because of an action (what "notify the customer" did). */
export type CustomerNotificationFixture = { kind: "order_cancelled" | "refund" | "shipping_update"; orderId: string; at: string };

/** What the store's order actions left behind, beside the orders themselves. */
export type OrderActionsState = {
  refunds: RefundFixture[];
  discountCodes: DiscountCodeFixture[];
  notifications: CustomerNotificationFixture[];
  /** refundCreate's idempotency keys: the input they came with and the answer given. */
  idempotency: Map<string, { input: string; answer: unknown }>;
};

const states = new WeakMap<StoreFixture, OrderActionsState>();

/** The store's order-action records (created empty on first use). */
export function orderActionsOf(store: StoreFixture): OrderActionsState {
  let state = states.get(store);
  if (!state) {
    state = { refunds: [], discountCodes: [], notifications: [], idempotency: new Map() };
    states.set(store, state);
  }
  return state;
}

type Ctx = { store: StoreFixture; now: () => number };
type Args = Record<string, unknown>;
type UserError = { field: string[] | null; message: string; code?: string };

const amountOf = (bag: { shopMoney: { amount: string } }) => Number(bag.shopMoney.amount);

/** The order's one payment, as Shopify lists it: a SALE through Shopify Payments for the order's total. */
export function saleTransactionId(order: OrderFixture): string {
  return gid("OrderTransaction", legacyIdOf(order.id));
}

function refundsOf(store: StoreFixture, order: OrderFixture): RefundFixture[] {
  return orderActionsOf(store).refunds.filter((r) => r.orderId === order.id);
}

/** What is left to refund: the total less everything refunded (fixture refunds included). */
function remaining(order: OrderFixture): number {
  return sumAmounts([amountOf(order.totalPriceSet), -amountOf(order.totalRefundedSet)]);
}

/** Shipping is refundable once, up to what was charged. */
function shippingRemaining(store: StoreFixture, order: OrderFixture): number {
  if (order.displayFinancialStatus === "REFUNDED") return 0;
  return sumAmounts([amountOf(order.totalShippingPriceSet), ...refundsOf(store, order).map((r) => -r.shippingAmount)]);
}

function recordRefund(ctx: Ctx, order: OrderFixture, amount: number, shippingAmount: number, note: string | null): RefundFixture {
  const state = orderActionsOf(ctx.store);
  const refund: RefundFixture = {
    __typename: "Refund",
    id: gid("Refund", 9_800_000_000_000 + state.refunds.length + 1),
    orderId: order.id,
    amount,
    shippingAmount,
    note,
    createdAt: new Date(ctx.now()).toISOString(),
  };
  state.refunds.push(refund);
  const refunded = sumAmounts([amountOf(order.totalRefundedSet), amount]);
  order.totalRefundedSet = moneyBag(refunded, order.currencyCode);
  order.currentTotalPriceSet = moneyBag(sumAmounts([amountOf(order.totalPriceSet), -refunded]), order.currencyCode);
  order.displayFinancialStatus = refunded >= amountOf(order.totalPriceSet) ? "REFUNDED" : "PARTIALLY_REFUNDED";
  order.updatedAt = refund.createdAt;
  return refund;
}

function notify(ctx: Ctx, kind: CustomerNotificationFixture["kind"], order: OrderFixture) {
  orderActionsOf(ctx.store).notifications.push({ kind, orderId: order.id, at: new Date(ctx.now()).toISOString() });
}

/** Orders the request may act on (the same window reads have: an order it cannot see does not exist for it). */
type FindOrder = (id: unknown) => OrderFixture | null;

// ---------------------------------------------------------------------------------------------
// Order.suggestedRefund

/**
 * Shopify's suggestion: the whole remaining amount (suggestFullRefund), the remaining shipping
 * (refundShipping) or a shipping amount, plus any line items (their price and a proportional share
 * of the order's tax). It never suggests more than remains.
 */
export function suggestedRefund(store: StoreFixture, order: OrderFixture, args: Args) {
  const money = (amount: number) => moneyBag(amount, order.currencyCode);
  const left = remaining(order);
  const shippingLeft = shippingRemaining(store, order);
  let shipping = 0;
  if (args.refundShipping === true) shipping = shippingLeft;
  else if (args.shippingAmount !== undefined && args.shippingAmount !== null) shipping = Math.min(Number(args.shippingAmount), shippingLeft);
  const taxRate = amountOf(order.subtotalPriceSet) > 0 ? amountOf(order.totalTaxSet) / amountOf(order.subtotalPriceSet) : 0;
  const lines = ((args.refundLineItems as { lineItemId: string; quantity: number }[] | undefined) ?? []).flatMap((input) => {
    const line = order.lineItems.find((l) => l.id === input.lineItemId);
    return line ? [{ line, quantity: Math.min(input.quantity, line.currentQuantity) }] : [];
  });
  const linesSubtotal = sumAmounts(lines.map(({ line, quantity }) => Number(line.discountedUnitPriceSet.shopMoney.amount) * quantity));
  const linesTax = Math.round(linesSubtotal * taxRate * 100) / 100;
  const amount = args.suggestFullRefund === true ? left : Math.min(left, sumAmounts([linesSubtotal, linesTax, shipping]));
  const fullShipping = args.suggestFullRefund === true ? shippingLeft : shipping;
  return {
    __typename: "SuggestedRefund",
    amountSet: money(amount),
    maximumRefundableSet: money(left),
    subtotalSet: money(args.suggestFullRefund === true ? amountOf(order.subtotalPriceSet) : linesSubtotal),
    totalTaxSet: money(linesTax),
    shipping: { __typename: "ShippingRefund", amountSet: money(fullShipping), maximumRefundableSet: money(shippingLeft), taxSet: money(0) },
    refundLineItems: [],
    refundDuties: [],
    suggestedTransactions:
      amount > 0
        ? [
            {
              __typename: "SuggestedOrderTransaction",
              gateway: "shopify_payments",
              formattedGateway: "Shopify Payments",
              kind: "SUGGESTED_REFUND",
              amountSet: money(amount),
              maximumRefundableSet: money(left),
              parentTransaction: { __typename: "OrderTransaction", id: saleTransactionId(order), kind: "SALE", gateway: "shopify_payments", amountSet: order.totalPriceSet, status: "SUCCESS" },
            },
          ]
        : [],
    suggestedRefundMethods: [],
  };
}

// ---------------------------------------------------------------------------------------------
// orderCancel

/**
 * "An order can only be cancelled if … it hasn't already been cancelled … [and] has no outstanding
 * fulfillments that can't be cancelled" (orderCancel's description). A shipped fulfillment
 * (status SUCCESS) cannot be cancelled. Shopify runs the cancellation as a job; the fake finishes
 * it at once and says so (done: true), which an app must handle beside done: false.
 * Error wordings are assumed.
 */
export function orderCancel(ctx: Ctx, args: Args, findOrder: FindOrder) {
  const order = findOrder(args.orderId);
  const refused = (code: string, message: string, field: string[] = ["orderId"]) => ({
    job: null,
    jobResult: null,
    orderCancelUserErrors: [{ code, field, message }],
    userErrors: [{ field, message }],
  });
  if (!order) return refused("NOT_FOUND", "Order does not exist");
  if (order.cancelledAt) return refused("INVALID", "Order has already been cancelled");
  if (order.fulfillments.some((f) => f.status === "SUCCESS")) return refused("INVALID", "Cannot cancel an order with fulfillments that can't be cancelled. Cancel the fulfillments first.");

  const at = new Date(ctx.now()).toISOString();
  if (args.refund === true || (args.refundMethod as { originalPaymentMethodsRefund?: boolean } | undefined)?.originalPaymentMethodsRefund) {
    const left = remaining(order);
    if (left > 0) recordRefund(ctx, order, left, shippingRemaining(ctx.store, order), null);
  }
  if (args.restock === true) {
    for (const line of order.lineItems) {
      const variant = ctx.store.products.flatMap((p) => p.variants).find((v) => v.id === line.variantId);
      if (variant) variant.inventoryQuantity += line.currentQuantity;
    }
  }
  for (const line of order.lineItems) line.currentQuantity = 0;
  order.cancelledAt = at;
  order.updatedAt = at;
  if (args.notifyCustomer === true) notify(ctx, "order_cancelled", order);
  const id = gid("Job", randomUUID());
  return {
    job: { __typename: "Job", id, done: true },
    jobResult: { __typename: "OrderCancelJobResult", id, done: true, status: "SUCCEEDED", errors: [], order },
    orderCancelUserErrors: [],
    userErrors: [],
  };
}

// ---------------------------------------------------------------------------------------------
// refundCreate

/**
 * The key of the field's `@idempotent(key:)`, literal or variable; null without the directive.
 * As of 2026-04 refundCreate requires it (the mutation's description, "Caution").
 */
export function idempotencyKeyOf(info: GraphQLResolveInfo): string | null {
  const directive = info.fieldNodes[0]?.directives?.find((d) => d.name.value === "idempotent");
  const value: ValueNode | undefined = directive?.arguments?.find((a) => a.name.value === "key")?.value;
  if (!value) return null;
  if (value.kind === Kind.STRING) return value.value;
  if (value.kind === Kind.VARIABLE) {
    const variable = info.variableValues[value.name.value];
    return typeof variable === "string" ? variable : null;
  }
  return null;
}

type RefundInput = {
  orderId: string;
  currency?: string | null;
  note?: string | null;
  notify?: boolean | null;
  allowOverRefunding?: boolean | null;
  shipping?: { amount?: string | null; fullRefund?: boolean | null } | null;
  refundLineItems?: { lineItemId: string; quantity: number }[] | null;
  transactions?: { amount: string; gateway: string; kind: string; orderId: string; parentId?: string | null }[] | null;
};

/**
 * Money back on an order. Rules: the idempotency key is required and a repeat with the same key and
 * input answers what the first did, without refunding again; the currency must be the order's; the
 * refund is paid by transactions against the order's payment and can never exceed what remains
 * (unless allowOverRefunding); shipping is refundable once, up to what was charged. Wordings assumed.
 */
export function refundCreate(ctx: Ctx, args: Args, info: GraphQLResolveInfo, findOrder: FindOrder) {
  const key = idempotencyKeyOf(info);
  if (!key || key.trim() === "") {
    // **assumed** shape: a top-level error, as for other request-level refusals.
    throw new GraphQLError("The @idempotent directive with a non-empty key is required for refundCreate.", { extensions: { code: "BAD_REQUEST" } });
  }
  const input = args.input as RefundInput;
  const state = orderActionsOf(ctx.store);
  const fingerprint = JSON.stringify(input);
  const earlier = state.idempotency.get(key);
  if (earlier) {
    if (earlier.input === fingerprint) return earlier.answer;
    throw new GraphQLError("The idempotency key was already used with different input.", { extensions: { code: "IDEMPOTENCY_KEY_CONFLICT" } });
  }
  const answer = createRefund(ctx, input, findOrder);
  // Only a refund that happened is remembered: a refused request may be sent again once fixed.
  if (answer.refund) state.idempotency.set(key, { input: fingerprint, answer });
  return answer;
}

function createRefund(ctx: Ctx, input: RefundInput, findOrder: FindOrder) {
  const refused = (field: string[], message: string) => ({ refund: null, order: null, userErrors: [{ field, message }] });
  const order = findOrder(input.orderId);
  if (!order) return refused(["orderId"], "Order does not exist");
  if (input.currency && input.currency !== order.currencyCode) return refused(["currency"], `Currency must be the order's presentment currency (${order.currencyCode})`);
  const transactions = input.transactions ?? [];
  for (const [i, t] of transactions.entries()) {
    if (t.orderId !== order.id) return refused(["transactions", String(i), "orderId"], "Transaction does not belong to this order");
    if (t.kind !== "REFUND") return refused(["transactions", String(i), "kind"], "Transaction kind must be refund");
    if (t.parentId !== saleTransactionId(order)) return refused(["transactions", String(i), "parentId"], "Parent transaction does not exist");
    if (!(Number(t.amount) > 0)) return refused(["transactions", String(i), "amount"], "Amount must be greater than 0");
  }
  const amount = sumAmounts(transactions.map((t) => Number(t.amount)));
  const shippingLeft = shippingRemaining(ctx.store, order);
  const shipping = input.shipping?.amount != null ? Number(input.shipping.amount) : input.shipping?.fullRefund ? shippingLeft : 0;
  if (shipping > shippingLeft) return refused(["shipping", "amount"], `Shipping refund amount can't be greater than the refundable shipping (${shippingLeft.toFixed(2)})`);
  if (amount > remaining(order) && !input.allowOverRefunding) return refused(["transactions"], `Refund amount can't be greater than the refundable amount (${remaining(order).toFixed(2)})`);
  if (amount === 0 && shipping === 0 && !(input.refundLineItems?.length)) return refused([], "Refund must include line items, shipping or transactions");
  const refund = recordRefund(ctx, order, amount, shipping, input.note ?? null);
  if (input.notify === true) notify(ctx, "refund", order);
  return {
    refund: { ...refund, totalRefundedSet: moneyBag(amount, order.currencyCode) },
    order,
    userErrors: [] as UserError[],
  };
}

// ---------------------------------------------------------------------------------------------
// orderUpdate (shipping address)

type AddressInput = { firstName?: string; lastName?: string; address1?: string; address2?: string; city?: string; provinceCode?: string; zip?: string; countryCode?: string; phone?: string };

/** Overwrites the order's shipping address, as orderUpdate's OrderInput.shippingAddress says. */
export function orderUpdate(ctx: Ctx, args: Args, findOrder: FindOrder) {
  const input = args.input as { id: string; shippingAddress?: AddressInput | null };
  const order = findOrder(input.id);
  if (!order) return { order: null, userErrors: [{ field: ["id"], message: "Order does not exist" }] };
  const a = input.shippingAddress;
  if (a) {
    if (!a.address1 || !a.city || !a.countryCode) return { order: null, userErrors: [{ field: ["shippingAddress"], message: "Address must include a street, a city and a country" }] };
    const address: MailingAddressFixture = {
      __typename: "MailingAddress",
      id: order.shippingAddress?.id ?? gid("MailingAddress", `${legacyIdOf(order.id)}1`),
      firstName: a.firstName ?? "",
      lastName: a.lastName ?? "",
      name: [a.firstName, a.lastName].filter(Boolean).join(" "),
      address1: a.address1,
      city: a.city,
      province: a.provinceCode ?? "",
      provinceCode: a.provinceCode ?? "",
      country: a.countryCode,
      countryCodeV2: a.countryCode,
      zip: a.zip ?? "",
      phone: a.phone ?? null,
      ...(a.address2 ? { address2: a.address2 } : {}),
    };
    order.shippingAddress = address;
    order.updatedAt = new Date(ctx.now()).toISOString();
  }
  return { order, userErrors: [] };
}

// ---------------------------------------------------------------------------------------------
// discountCodeBasicCreate

type DiscountInput = {
  title?: string;
  code?: string;
  startsAt?: string;
  endsAt?: string | null;
  usageLimit?: number | null;
  appliesOncePerCustomer?: boolean | null;
  context?: { all?: string; customers?: { add?: string[] } } | null;
  customerSelection?: { all?: boolean; customers?: { add?: string[] } } | null;
  customerGets?: { value?: { percentage?: number | null } | null; items?: { all?: boolean | null } | null } | null;
};

/**
 * An amount-off code. Required on create: code, context (or customerSelection), customerGets,
 * startsAt, title (DiscountCodeBasicInput's description). Codes are unique in a shop, whatever the
 * case ("Code must be unique. Please try a different code." is Shopify's answer); a percentage is
 * 0.00 to 1.00; every customer named must exist. DiscountErrorCode values from the schema.
 */
export function discountCodeBasicCreate(ctx: Ctx, args: Args) {
  const input = args.basicCodeDiscount as DiscountInput;
  const error = (code: string, field: string[], message: string) => ({ codeDiscountNode: null, userErrors: [{ code, field: ["basicCodeDiscount", ...field], message, extraInfo: null }] });
  for (const required of ["code", "title", "startsAt", "customerGets"] as const) {
    if (input[required] === undefined || input[required] === null || input[required] === "") return error("BLANK", [required], `${required} can't be blank`);
  }
  const customers = input.context?.customers?.add ?? input.customerSelection?.customers?.add ?? [];
  if (!input.context && !input.customerSelection) return error("BLANK", ["context"], "context can't be blank");
  const percentage = input.customerGets?.value?.percentage;
  if (typeof percentage !== "number") return error("BLANK", ["customerGets", "value"], "Value can't be blank");
  if (percentage <= 0 || percentage > 1) return error("VALUE_OUTSIDE_RANGE", ["customerGets", "value", "percentage"], "Value must be between 0.0 and 1.0");
  const state = orderActionsOf(ctx.store);
  if (state.discountCodes.some((d) => d.code.toLowerCase() === input.code!.toLowerCase())) return error("TAKEN", ["code"], "Code must be unique. Please try a different code.");
  const unknown = customers.find((id) => !ctx.store.customers.some((c: CustomerFixture) => c.id === id));
  if (unknown) return error("INVALID", ["context", "customers", "add"], "Customer does not exist");
  const discount: DiscountCodeFixture = {
    __typename: "DiscountCodeNode",
    id: gid("DiscountCodeNode", 1_200_000_000_000 + state.discountCodes.length + 1),
    code: input.code!,
    title: input.title!,
    percentage,
    customerIds: customers,
    usageLimit: input.usageLimit ?? null,
    appliesOncePerCustomer: input.appliesOncePerCustomer ?? false,
    startsAt: input.startsAt!,
    endsAt: input.endsAt ?? null,
  };
  state.discountCodes.push(discount);
  return { codeDiscountNode: discount, userErrors: [] };
}

// ---------------------------------------------------------------------------------------------
// fulfillmentTrackingInfoUpdate

/** Replaces a fulfillment's tracking; with notifyCustomer Shopify emails the customer the update. Wordings assumed. */
export function fulfillmentTrackingInfoUpdate(ctx: Ctx, args: Args, findOrder: FindOrder) {
  const fulfillmentId = String(args.fulfillmentId);
  const order = ctx.store.orders.find((o) => o.fulfillments.some((f) => f.id === fulfillmentId));
  const fulfillment: FulfillmentFixture | undefined = order && findOrder(order.id) ? order.fulfillments.find((f) => f.id === fulfillmentId) : undefined;
  if (!order || !fulfillment) return { fulfillment: null, userErrors: [{ field: ["fulfillmentId"], message: "Fulfillment does not exist" }] };
  if (fulfillment.status === "CANCELLED") return { fulfillment: null, userErrors: [{ field: ["fulfillmentId"], message: "Tracking can't be updated on a cancelled fulfillment" }] };
  const input = args.trackingInfoInput as { company?: string; number?: string; url?: string };
  if (input.url && !input.number) return { fulfillment: null, userErrors: [{ field: ["trackingInfoInput", "number"], message: "A tracking URL needs a tracking number" }] };
  if (input.number) fulfillment.trackingInfo = [{ company: input.company ?? fulfillment.trackingInfo[0]?.company ?? "", number: input.number, url: input.url ?? fulfillment.trackingInfo[0]?.url ?? "" }];
  fulfillment.updatedAt = new Date(ctx.now()).toISOString();
  if (args.notifyCustomer === true) notify(ctx, "shipping_update", order);
  return { fulfillment, userErrors: [] };
}
