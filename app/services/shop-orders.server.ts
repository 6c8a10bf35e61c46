import type { PrismaClient } from "@prisma/client";
import { z } from "zod";
import { recordShopOrder } from "../models/shop-order.server";

/**
 * orders/create and orders/updated: keeps what assisted revenue needs from an order (its id, the
 * customer's id, what it is worth now in the shop's currency, when it was placed, whether it was
 * cancelled) and nothing else of the payload. orders/updated is the one topic Shopify sends for
 * refunds, cancellations and edits alike, so one handler keeps the figure true after any of them.
 */

const numericId = z.union([z.number().int(), z.string().regex(/^\d+$/)]).transform(String);
const amount = z.union([z.string().regex(/^-?\d+(\.\d{1,4})?$/), z.number().transform(String)]);
const shopMoney = z.object({ shop_money: z.object({ amount, currency_code: z.string().length(3) }) }).nullish();

export const orderPayload = z.object({
  id: numericId,
  created_at: z.iso.datetime({ offset: true }),
  updated_at: z.iso.datetime({ offset: true }).nullish(),
  cancelled_at: z.iso.datetime({ offset: true }).nullish(),
  customer: z.object({ id: numericId }).nullish(),
  currency: z.string().length(3),
  total_price: amount,
  // The amount in the shop's currency when the shopper paid in another.
  total_price_set: shopMoney,
  // What the order is worth after refunds, returns and edits (absent from older API versions' payloads).
  current_total_price: amount.nullish(),
  current_total_price_set: shopMoney,
});

export type OrderPayload = z.infer<typeof orderPayload>;

export async function recordOrder(db: PrismaClient, shop: string, payload: OrderPayload): Promise<void> {
  const current = payload.current_total_price_set?.shop_money;
  const original = payload.total_price_set?.shop_money;
  const inShopMoney = current ?? original;
  await recordShopOrder(db, shop, {
    orderId: payload.id,
    shopifyCustomerId: payload.customer?.id ?? null,
    totalPrice: inShopMoney?.amount ?? payload.current_total_price ?? payload.total_price,
    currencyCode: inShopMoney?.currency_code ?? payload.currency,
    placedAt: new Date(payload.created_at),
    cancelledAt: payload.cancelled_at ? new Date(payload.cancelled_at) : null,
    shopifyUpdatedAt: payload.updated_at ? new Date(payload.updated_at) : null,
  });
}
