import type { ActionFunctionArgs } from "@remix-run/node";
import prisma from "../db.server";
import { orderPayload, recordOrder } from "../services/shop-orders.server";
import { answerShopifyWebhook, verifyShopifyWebhook } from "../webhooks/shopify-lifecycle.server";

// orders/create: the order's id, customer id, total and time, for assisted revenue on the analytics page.
export const action = async ({ request }: ActionFunctionArgs) => {
  const webhook = await verifyShopifyWebhook(request);
  return answerShopifyWebhook(webhook, orderPayload, (payload) => recordOrder(prisma, webhook.shop, payload));
};
