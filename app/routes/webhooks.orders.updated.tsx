import type { ActionFunctionArgs } from "@remix-run/node";
import prisma from "../db.server";
import { orderPayload, recordOrder } from "../services/shop-orders.server";
import { answerShopifyWebhook, verifyShopifyWebhook } from "../webhooks/shopify-lifecycle.server";

// orders/updated: refunds, cancellations and edits, so assisted revenue counts what an order is worth now.
export const action = async ({ request }: ActionFunctionArgs) => {
  const webhook = await verifyShopifyWebhook(request);
  return answerShopifyWebhook(webhook, orderPayload, (payload) => recordOrder(prisma, webhook.shop, payload));
};
