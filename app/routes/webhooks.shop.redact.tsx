import type { ActionFunctionArgs } from "@remix-run/node";
import { redactShop, shopRedactPayload } from "../services/compliance.server";
import { answerShopifyWebhook, lifecycle, verifyShopifyWebhook } from "../webhooks/shopify-lifecycle.server";

// shop/redact (mandatory, 48 hours after uninstall): erase everything the app holds for the shop.
export const action = async ({ request }: ActionFunctionArgs) => {
  const webhook = await verifyShopifyWebhook(request);
  return answerShopifyWebhook(webhook, shopRedactPayload, () => redactShop(lifecycle().compliance, webhook.shop));
};
