// Orders as a store accumulates them: line items from the catalogue, totals with shipping and tax,
// and for shipped orders a fulfillment with a carrier's tracking number and link.
import type { ProductFixture, ProductVariantFixture } from "./catalogue";
import type {
  CustomerFixture,
  FulfillmentDisplayStatus,
  FulfillmentFixture,
  LineItemFixture,
  OrderDisplayFinancialStatus,
  OrderFixture,
} from "./fixtures";
import { gid } from "./gid";
import { moneyBag, sumAmounts } from "./money";
import type { Random } from "./random";
import { DAY_MS, HOUR_MS, iso } from "./time";

type Carrier = { company: string; trackingNumber(random: Random): string; url(number: string): string };

const CARRIERS: readonly Carrier[] = [
  {
    company: "UPS",
    trackingNumber: (r) => `1Z${Array.from({ length: 16 }, () => r.pick([..."0123456789ABCDEFGHJKLMNPRSTUVWXY"])).join("")}`,
    url: (n) => `https://www.ups.com/track?tracknum=${n}`,
  },
  {
    company: "USPS",
    trackingNumber: (r) => `9400${Array.from({ length: 18 }, () => r.int(0, 9)).join("")}`,
    url: (n) => `https://tools.usps.com/go/TrackConfirmAction?tLabels=${n}`,
  },
  {
    company: "DHL Express",
    trackingNumber: (r) => Array.from({ length: 10 }, () => r.int(0, 9)).join(""),
    url: (n) => `https://www.dhl.com/en/express/tracking.html?AWB=${n}&brand=DHL`,
  },
];

export type OrderDraft = {
  customer: CustomerFixture | null;
  processedAtMs: number;
  items: { product: ProductFixture; variant: ProductVariantFixture; quantity: number }[];
  financial: OrderDisplayFinancialStatus;
  shipment: FulfillmentDisplayStatus | null;
};

/** What a real order of this age looks like: old ones delivered, recent ones in transit or not yet shipped. */
export function statusesForAge(ageDays: number, random: Random): Pick<OrderDraft, "financial" | "shipment"> {
  if (ageDays > 14) {
    const roll = random.next();
    return { financial: roll < 0.05 ? "REFUNDED" : roll < 0.1 ? "PARTIALLY_REFUNDED" : "PAID", shipment: "DELIVERED" };
  }
  if (ageDays > 2) return { financial: "PAID", shipment: random.pick(["DELIVERED", "IN_TRANSIT", "OUT_FOR_DELIVERY"] as const) };
  return { financial: "PAID", shipment: random.chance(0.5) ? null : "LABEL_PRINTED" };
}

export function buildOrder(
  draft: OrderDraft,
  index: number,
  context: { random: Random; currencyCode: string; storefrontUrl: string; idOffset: number; now: Date },
): OrderFixture {
  const { random, currencyCode, storefrontUrl, idOffset, now } = context;
  const orderNumber = 1001 + index;
  const id = gid("Order", 6_100_000_000_000 + idOffset * 100_000 + index + 1);
  const bag = (amount: number) => moneyBag(amount, currencyCode);

  const lineItems = draft.items.map((item, position): LineItemFixture => {
    const unit = Number(item.variant.price);
    return {
      __typename: "LineItem",
      id: gid("LineItem", 16_000_000_000_000 + idOffset * 1_000_000 + index * 10 + position + 1),
      productId: item.product.id,
      variantId: item.variant.id,
      title: item.product.title,
      name: item.variant.displayName,
      variantTitle: item.product.hasOnlyDefaultVariant ? null : item.variant.title,
      sku: item.variant.sku,
      vendor: item.product.vendor,
      quantity: item.quantity,
      currentQuantity: draft.financial === "REFUNDED" ? 0 : item.quantity,
      requiresShipping: true,
      originalUnitPriceSet: bag(unit),
      discountedUnitPriceSet: bag(unit),
      originalTotalSet: bag(unit * item.quantity),
      discountedTotalSet: bag(unit * item.quantity),
    };
  });

  const subtotal = sumAmounts(lineItems.map((line) => Number(line.originalTotalSet.shopMoney.amount)));
  const shipping = subtotal >= 100 ? 0 : 8;
  const tax = Math.round(subtotal * 0.08 * 100) / 100;
  const total = sumAmounts([subtotal, shipping, tax]);
  const refunded = draft.financial === "REFUNDED" ? total : draft.financial === "PARTIALLY_REFUNDED" ? Number(lineItems[0].originalUnitPriceSet.shopMoney.amount) : 0;
  const processedAt = iso(draft.processedAtMs);
  const name = `#${orderNumber}`;

  const fulfillments: FulfillmentFixture[] = [];
  if (draft.shipment) {
    const carrier = random.pick(CARRIERS);
    const trackingNumber = carrier.trackingNumber(random);
    const shippedMs = draft.processedAtMs + 20 * HOUR_MS;
    const delivered = draft.shipment === "DELIVERED";
    const deliveredMs = Math.min(shippedMs + random.int(2, 5) * DAY_MS, now.getTime() - HOUR_MS);
    fulfillments.push({
      __typename: "Fulfillment",
      id: gid("Fulfillment", 5_200_000_000_000 + idOffset * 100_000 + index + 1),
      orderId: id,
      name: `${name}-F1`,
      status: "SUCCESS",
      displayStatus: draft.shipment,
      totalQuantity: lineItems.reduce((sum, line) => sum + line.quantity, 0),
      requiresShipping: true,
      trackingInfo: [{ company: carrier.company, number: trackingNumber, url: carrier.url(trackingNumber) }],
      createdAt: iso(shippedMs),
      updatedAt: iso(delivered ? deliveredMs : shippedMs),
      inTransitAt: draft.shipment === "LABEL_PRINTED" ? null : iso(shippedMs + 4 * HOUR_MS),
      deliveredAt: delivered ? iso(deliveredMs) : null,
      estimatedDeliveryAt: delivered ? null : iso(Math.max(shippedMs, now.getTime()) + 3 * DAY_MS),
    });
  }

  const customer = draft.customer;
  const token = Array.from({ length: 32 }, () => random.pick([..."0123456789abcdef"])).join("");
  return {
    __typename: "Order",
    id,
    customerId: customer?.id ?? null,
    name,
    number: orderNumber - 1000,
    confirmationNumber: Array.from({ length: 9 }, () => random.pick([..."ABCDEFGHJKLMNPQRSTUVWXYZ23456789"])).join(""),
    email: customer?.email ?? null,
    phone: customer?.phone ?? null,
    createdAt: processedAt,
    processedAt,
    updatedAt: fulfillments[0]?.updatedAt ?? processedAt,
    cancelledAt: null,
    closed: draft.shipment === "DELIVERED",
    test: false,
    displayFinancialStatus: draft.financial,
    displayFulfillmentStatus: draft.shipment ? "FULFILLED" : "UNFULFILLED",
    currencyCode,
    subtotalPriceSet: bag(subtotal),
    totalShippingPriceSet: bag(shipping),
    totalTaxSet: bag(tax),
    totalPriceSet: bag(total),
    currentTotalPriceSet: bag(sumAmounts([total, -refunded])),
    totalRefundedSet: bag(refunded),
    lineItems,
    fulfillments,
    shippingAddress: customer ? { ...customer.defaultAddress } : null,
    tags: [],
    note: null,
    statusPageUrl: `${storefrontUrl}/${60_000_000 + idOffset}/orders/${token}/authenticate`,
  };
}
