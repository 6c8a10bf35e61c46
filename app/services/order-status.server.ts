import type { PrismaClient } from "@prisma/client";
import { z } from "zod";
import { ORDERS_FOR_ORDER_STATUS_QUERY } from "../graphql/orders-for-order-status";
import type { Logger } from "../logger.server";
import { recordOrderStatusAnswer } from "../models/order-status-answer.server";
import { loadOrderStatusSettings, type OrderDataKind } from "../models/order-status-settings.server";
import type { OscarClient } from "../oscar/client.server";
import type { OscarWebhookEventOf } from "../oscar/contract";
import type { ContactVerification } from "../storefront/verify-contact.server";
import { runAdminQueryWithheld, type AdminGraphql } from "../shopify/admin-graphql.server";
import { escapeHtml, singleLine, trackingUrl } from "../text/escape";
import { formatMoney, humanStatus } from "./enrichment-note";

const money = z.object({ amount: z.string(), currencyCode: z.string() });
const orderSchema = z.object({
  name: z.string(),
  processedAt: z.string(),
  displayFinancialStatus: z.string().nullable(),
  displayFulfillmentStatus: z.string(),
  totalPriceSet: z.object({ shopMoney: money }),
  lineItems: z.object({ nodes: z.array(z.object({ title: z.string(), quantity: z.number() })) }),
  shippingAddress: z.object({ city: z.string().nullable(), countryCodeV2: z.string().nullable() }).nullable(),
  fulfillments: z.array(
    z.object({
      displayStatus: z.string().nullable(),
      estimatedDeliveryAt: z.string().nullable(),
      trackingInfo: z.array(z.object({ number: z.string().nullable(), url: z.string().nullable(), company: z.string().nullable() })),
    }),
  ),
});
const responseSchema = z.object({
  customer: z.object({ numberOfOrders: z.union([z.string(), z.number()]).transform(Number), orders: z.object({ nodes: z.array(orderSchema) }) }).nullable(),
});
export type OrderForShopper = z.infer<typeof orderSchema>;

/** ORDERS_FOR_ORDER_STATUS_QUERY's `orders(first: 5)`. */
const ORDERS_ASKED_FOR = 5;

const QUESTION = /\b(where(?:'s| is)? (?:is )?my (?:order|package|parcel|delivery)|order status|track(?:ing)?(?: number| my)?|has my order (?:shipped|been shipped)|when will my order)\b/i;

/** Whether a shopper's message asks about an order's whereabouts. */
export function isOrderStatusQuestion(text: string): boolean {
  return QUESTION.test(text) || /#\d{3,}/.test(text);
}

/** The order name a message mentions ("#1042"), if any. */
export const mentionedOrderName = (text: string) => /#(\d{3,})/.exec(text)?.[0] ?? null;

/**
 * The reply a shopper reads, with only the kinds of order data the merchant chose to share. HTML,
 * because the client's idempotency marker then rides along as an invisible comment instead of a
 * line the shopper would see.
 */
export function formatOrderStatusReply(order: OrderForShopper, kinds: OrderDataKind[]): string {
  const items: string[] = [];
  if (kinds.includes("status")) {
    const delivery = order.fulfillments.find((f) => f.estimatedDeliveryAt)?.estimatedDeliveryAt;
    const shipment = order.fulfillments.find((f) => f.displayStatus)?.displayStatus;
    items.push(`Status: ${escapeHtml(humanStatus(order.displayFulfillmentStatus))}${shipment ? ` (${escapeHtml(humanStatus(shipment).toLowerCase())})` : ""}`);
    if (delivery) items.push(`Expected delivery: ${escapeHtml(delivery.slice(0, 10))}`);
  }
  if (kinds.includes("tracking")) {
    const links = order.fulfillments
      .flatMap((f) => f.trackingInfo)
      .filter((t) => t.url || t.number)
      .map((t) => {
        const label = escapeHtml(singleLine([t.company, t.number].filter(Boolean).join(" ") || "Track your parcel"));
        // Only a carrier's own tracking site is a link; any other stored URL is not shown at all.
        const href = trackingUrl(t.url);
        return href ? `<a href="${escapeHtml(href)}">${label}</a>` : label;
      });
    items.push(`Tracking: ${links.length ? links.join(", ") : "not available yet"}`);
  }
  if (kinds.includes("items")) items.push(`Items: ${order.lineItems.nodes.map((i) => `${i.quantity} × ${escapeHtml(i.title)}`).join(", ")}`);
  if (kinds.includes("total")) items.push(`Total: ${escapeHtml(formatMoney(order.totalPriceSet.shopMoney.amount, order.totalPriceSet.shopMoney.currencyCode))}`);
  if (kinds.includes("delivery_address") && order.shippingAddress) {
    items.push(`Shipping to: ${escapeHtml([order.shippingAddress.city, order.shippingAddress.countryCodeV2].filter(Boolean).join(", "))}`);
  }
  return `<p>Here is the latest on order <strong>${escapeHtml(order.name)}</strong> (placed ${escapeHtml(order.processedAt.slice(0, 10))}):</p><ul>${items.map((i) => `<li>${i}</li>`).join("")}</ul>`;
}

export const SIGN_IN_TO_SEE_ORDERS =
  "<p>I can share your order's status here once you're signed in to your account on this store. Please sign in and ask again, or an agent will help you shortly.</p>";
export const NO_ORDER_FOUND = "<p>I couldn't find an order on your account yet. An agent will take a look and get back to you.</p>";
/** Shopify shows the app only the last 60 days of orders (without read_all_orders): say so rather than "no order". */
export const OLDER_ORDER_NOT_VISIBLE =
  "<p>I can only see orders from the last 60 days here, and the order you mean isn't among them. An agent will look it up for you and get back to you.</p>";
/** Shopify withheld the customer's orders (app not approved for protected customer data). */
export const ORDERS_WITHHELD = "<p>I can't look up your orders in the chat right now. An agent will take a look and get back to you.</p>";

export type OrderStatusDeps = {
  db: PrismaClient;
  oscar: OscarClient;
  adminGraphql: () => Promise<AdminGraphql>;
  verifyIdentity: (contact: unknown) => ContactVerification;
  logger: Logger;
};

export type OrderStatusOutcome = "off" | "not-a-question" | "unverified" | "no-order" | "older-than-visible" | "withheld" | "answered";

/**
 * Order-status self-service: a signed-in shopper who asks where their order is gets its status and
 * tracking in the chat, at once. Only a contact whose storefront identity checks out ever receives
 * order data; anyone else is asked to sign in. Each shopper message is answered at most once.
 */
export async function answerOrderStatus(
  deps: OrderStatusDeps,
  shop: string,
  event: OscarWebhookEventOf<"message.created">,
  { retrying }: { retrying: boolean },
): Promise<OrderStatusOutcome> {
  const { message, conversation_id: conversationId, contact } = event.data;
  if (message.message_type !== "incoming" || message.private || !message.content) return "not-a-question";
  const settings = await loadOrderStatusSettings(deps.db, shop);
  if (!settings.enabled) return "off";
  if (!isOrderStatusQuestion(message.content)) return "not-a-question";

  const reply = (content: string) =>
    deps.oscar.postMessage(
      conversationId,
      { content, message_type: "outgoing", content_type: "html", private: false },
      { idempotencyKey: `order-status:${message.id}`, checkFirst: retrying },
    );

  const verification = deps.verifyIdentity(contact ?? {});
  if (!verification.verified) {
    await reply(SIGN_IN_TO_SEE_ORDERS);
    return "unverified";
  }
  const { data, withheld } = await runAdminQueryWithheld(await deps.adminGraphql(), ORDERS_FOR_ORDER_STATUS_QUERY, responseSchema, { customerId: verification.customerGid });
  // Only the customer or their orders as a whole stop the answer; a withheld address is just left out.
  if (withheld.some((w) => w.path === "customer" || (w.path.startsWith("customer.orders") && !w.path.includes("Address")))) {
    deps.logger.warn({ shop, conversationId, withheld }, "Shopify withheld the shopper's orders: protected customer data not approved");
    await reply(ORDERS_WITHHELD);
    return "withheld";
  }
  const orders = data.customer?.orders.nodes ?? [];
  const hiddenOrders = (data.customer?.numberOfOrders ?? 0) > orders.length && orders.length < ORDERS_ASKED_FOR;
  const named = mentionedOrderName(message.content);
  const namedOrder = named ? orders.find((o) => o.name === named) : undefined;
  if ((named && !namedOrder && hiddenOrders) || (orders.length === 0 && hiddenOrders)) {
    await reply(OLDER_ORDER_NOT_VISIBLE);
    return "older-than-visible";
  }
  // A named order is answered only when it is this customer's; otherwise their latest.
  const order = namedOrder ?? orders[0];
  if (!order) {
    await reply(NO_ORDER_FOUND);
    return "no-order";
  }
  await reply(formatOrderStatusReply(order, settings.sharedFields));
  // Counted on the analytics dashboard, once per shopper message however often the job runs.
  await recordOrderStatusAnswer(deps.db, shop, String(message.id), new Date());
  deps.logger.info({ shop, conversationId }, "order status answered");
  return "answered";
}
