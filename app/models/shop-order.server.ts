import type { PrismaClient } from "@prisma/client";
import { isUniqueConstraintViolation } from "../db/client.server";
import type { PlacedOrder } from "../services/analytics-figures";

/** Orders placed in the shop, as assisted revenue needs them: ids, current total, time, cancellation. Scoped by shop. */

export type ShopOrderInput = PlacedOrder & { shopifyUpdatedAt: Date | null };

/**
 * Stores an order's latest state. Shopify does not promise to deliver in order, so a state only
 * replaces the stored one when Shopify changed the order later (its updated_at); a repeated or
 * late delivery changes nothing. Update first, create second: two deliveries racing on a new order
 * both end with the newer state, the loser's create failing on the unique key.
 */
export async function recordShopOrder(db: PrismaClient, shop: string, order: ShopOrderInput): Promise<void> {
  const { orderId, ...state } = order;
  const olderThanThis = [{ shopifyUpdatedAt: null }, ...(order.shopifyUpdatedAt ? [{ shopifyUpdatedAt: { lt: order.shopifyUpdatedAt } }] : [])];
  const updated = await db.shopOrder.updateMany({ where: { shop, orderId, OR: olderThanThis }, data: state });
  if (updated.count > 0) return;
  try {
    await db.shopOrder.create({ data: { shop, ...order } });
  } catch (error) {
    // The order is stored already, in a state as new as this one or newer.
    if (isUniqueConstraintViolation(error)) return;
    throw error;
  }
}

export function ordersPlacedBetween(db: PrismaClient, shop: string, start: Date, end: Date): Promise<PlacedOrder[]> {
  return db.shopOrder.findMany({
    where: { shop, placedAt: { gte: start, lt: end } },
    select: { orderId: true, shopifyCustomerId: true, totalPrice: true, currencyCode: true, placedAt: true, cancelledAt: true },
    orderBy: { placedAt: "asc" },
  });
}

/** customers/redact: the customer's orders, and any order Shopify names in orders_to_redact. */
export function deleteCustomerOrders(db: PrismaClient, shop: string, shopifyCustomerId: string, orderIds: string[]) {
  return db.shopOrder.deleteMany({ where: { shop, OR: [{ shopifyCustomerId }, { orderId: { in: orderIds } }] } });
}

export function customerOrders(db: PrismaClient, shop: string, shopifyCustomerId: string) {
  return db.shopOrder.findMany({ where: { shop, shopifyCustomerId }, orderBy: { placedAt: "asc" } });
}

export function deleteOrdersPlacedBefore(db: PrismaClient, shop: string, cutoff: Date) {
  return db.shopOrder.deleteMany({ where: { shop, placedAt: { lt: cutoff } } });
}
