import { z } from "zod";
import { knowledgeDeps } from "../services/knowledge-context.server";
import { noteStoreChange } from "../services/knowledge-admin.server";
import { COLLECTIONS_CHANGED } from "../services/knowledge-sync.server";
import { answerShopifyWebhook, verifyShopifyWebhook } from "./shopify-lifecycle.server";

/**
 * products/* and collections/* webhooks: each only notes what changed and (re)starts the shop's
 * debounced knowledge sync; the sync reads the product fresh, so the order deliveries arrive in
 * does not matter. Payloads are read for their id only.
 */

const resourcePayload = z.object({ id: z.union([z.number().int().positive(), z.string().regex(/^\d+$/)]) });

export async function answerProductWebhook(request: Request): Promise<Response> {
  const webhook = await verifyShopifyWebhook(request);
  return answerShopifyWebhook(webhook, resourcePayload, (payload) => noteStoreChange(knowledgeDeps, webhook.shop, `gid://shopify/Product/${payload.id}`));
}

export async function answerCollectionWebhook(request: Request): Promise<Response> {
  const webhook = await verifyShopifyWebhook(request);
  return answerShopifyWebhook(webhook, resourcePayload, () => noteStoreChange(knowledgeDeps, webhook.shop, COLLECTIONS_CHANGED));
}
