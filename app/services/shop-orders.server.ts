import type { PrismaClient } from "@prisma/client";
import { z } from "zod";
import { recordShopOrder } from "../models/shop-order.server";

/**
 * orders/create: keeps what assisted revenue needs from an order (its id, the customer's id, the total
 * in the shop's currency and when it was placed) and nothing else of the payload.
 */

const numericId = z.union([z.number().int(), z.string().regex(/^\d+$/)]).transform(String);
const amount = z.union([z.string().regex(/^-?\d+(\.\d{1,4})?$/), z.number().transform(String)]);

export const orderCreatedPayload = z.object({
  id: numericId,
  created_at: z.iso.datetime({ offset: true }),
  customer: z.object({ id: numericId }).nullish(),
  total_price: amount,
  currency: z.string().length(3),
  // The amount in the shop's currency when the shopper paid in another.
  total_price_set: z.object({ shop_money: z.object({ amount, currency_code: z.string().length(3) }) }).nullish(),
});

export type OrderCreatedPayload = z.infer<typeof orderCreatedPayload>;

export async function recordPlacedOrder(db: PrismaClient, shop: string, payload: OrderCreatedPayload): Promise<void> {
  const shopMoney = payload.total_price_set?.shop_money;
  await recordShopOrder(db, shop, {
    orderId: payload.id,
    shopifyCustomerId: payload.customer?.id ?? null,
    totalPrice: shopMoney?.amount ?? payload.total_price,
    currencyCode: shopMoney?.currency_code ?? payload.currency,
    placedAt: new Date(payload.created_at),
  });
}
