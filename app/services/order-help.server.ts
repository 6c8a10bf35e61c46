import { z } from "zod";
import { ORDER_FOR_HELP_QUERY } from "../graphql/order-for-help";
import { runAdminQuery, type AdminGraphql } from "../shopify/admin-graphql.server";
import { numericCustomerId, numericOrderId, signShopperIdentity } from "../storefront/identity.server";

/**
 * 15 minutes: the hand-off is used seconds after the click (the storefront opens with the chat and the
 * question ready), and the token lands in the browser's history with the storefront URL. Half the
 * storefront identity's 30 minutes, so a shared device's history stops vouching soon.
 */
export const ORDER_HELP_TTL_SECONDS = 15 * 60;

/** The storefront URL's fragment that carries the token: fragments are never sent to a server or in a Referer. */
export const ORDER_HELP_FRAGMENT = "oscar-order-help";

export type OrderHelpRefusal = "not-signed-in" | "not-found" | "not-yours";

export type OrderHelp = { ok: true; token: string; orderName: string; expiresAt: number } | { ok: false; reason: OrderHelpRefusal };

const orderResponse = z.object({
  order: z
    .object({
      id: z.string(),
      name: z.string(),
      customer: z.object({ id: z.string(), defaultEmailAddress: z.object({ emailAddress: z.string().nullable() }).nullable() }).nullable(),
    })
    .nullable(),
});

/**
 * The signed hand-off from "Get help with this order" to the store's chat: the customer's storefront
 * identity with the order in it, minted only when Shopify says the order is that customer's. `customerGid`
 * is the session token's `sub` (Shopify signed it); the order id is the extension's claim, checked here.
 * An unknown order and another customer's order are refused alike, so the answer never tells which
 * order ids exist.
 */
export async function mintOrderHelp(
  { graphql, appSecret, now }: { graphql: AdminGraphql; appSecret: string; now: Date },
  { shop, customerGid, orderGid }: { shop: string; customerGid: string | undefined; orderGid: string },
): Promise<OrderHelp> {
  const customerId = customerGid?.startsWith("gid://shopify/Customer/") ? numericCustomerId(customerGid) : null;
  if (!customerId) return { ok: false, reason: "not-signed-in" };
  const orderId = numericOrderId(orderGid);
  if (!orderId) return { ok: false, reason: "not-found" };

  const { order } = await runAdminQuery(graphql, ORDER_FOR_HELP_QUERY, orderResponse, { id: `gid://shopify/Order/${orderId}` });
  if (!order) return { ok: false, reason: "not-found" };
  if (!order.customer || numericCustomerId(order.customer.id) !== customerId) return { ok: false, reason: "not-yours" };

  const token = signShopperIdentity({
    secret: appSecret,
    shop,
    customerId,
    email: order.customer.defaultEmailAddress?.emailAddress ?? null,
    now,
    ttlSeconds: ORDER_HELP_TTL_SECONDS,
    order: { id: order.id, name: order.name },
  });
  return { ok: true, token, orderName: order.name, expiresAt: Math.floor(now.getTime() / 1000) + ORDER_HELP_TTL_SECONDS };
}
