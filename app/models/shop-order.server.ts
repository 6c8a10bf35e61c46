import type { PrismaClient } from "@prisma/client";
import type { PlacedOrder } from "../services/analytics-figures";

/** Orders placed in the shop, as assisted revenue needs them: ids, total and time. Scoped by shop. */

export type ShopOrderInput = PlacedOrder;

/** Stores an order once: a repeated orders/create delivery changes nothing. */
export async function recordShopOrder(db: PrismaClient, shop: string, order: ShopOrderInput): Promise<void> {
  await db.shopOrder.upsert({
    where: { shop_orderId: { shop, orderId: order.orderId } },
    create: { shop, ...order },
    update: {},
  });
}

export function ordersPlacedBetween(db: PrismaClient, shop: string, start: Date, end: Date): Promise<PlacedOrder[]> {
  return db.shopOrder.findMany({
    where: { shop, placedAt: { gte: start, lt: end } },
    select: { orderId: true, shopifyCustomerId: true, totalPrice: true, currencyCode: true, placedAt: true },
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
