import type { ActionFunctionArgs } from "@remix-run/node";
import { customerRedactPayload, redactCustomer } from "../services/compliance.server";
import { answerShopifyWebhook, lifecycle, verifyShopifyWebhook } from "../webhooks/shopify-lifecycle.server";

// customers/redact (mandatory): erase what the app holds about one customer of the shop.
export const action = async ({ request }: ActionFunctionArgs) => {
  const webhook = await verifyShopifyWebhook(request);
  return answerShopifyWebhook(webhook, customerRedactPayload, (payload) =>
    redactCustomer(lifecycle().compliance, { shop: webhook.shop, customer: payload.customer, orderIds: payload.orders_to_redact }),
  );
};
