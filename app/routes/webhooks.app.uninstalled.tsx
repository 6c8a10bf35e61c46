import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { uninstallShop } from "../services/uninstall.server";
import { answerShopifyWebhook, lifecycle, verifyShopifyWebhook } from "../webhooks/shopify-lifecycle.server";

// The payload is the shop's record; only its domain is read (to match the header).
const appUninstalledPayload = z.object({ myshopify_domain: z.string().optional() });

// app/uninstalled: stop acting for the shop at once; its data is purged on shop/redact.
export const action = async ({ request }: ActionFunctionArgs) => {
  const webhook = await verifyShopifyWebhook(request);
  return answerShopifyWebhook(webhook, appUninstalledPayload, () => uninstallShop(lifecycle().uninstall, webhook.shop));
};
