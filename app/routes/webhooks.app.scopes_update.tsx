import type { ActionFunctionArgs } from "@remix-run/node";
import prisma from "../db.server";
import { recordGrantedScopes, scopesUpdatePayload } from "../services/access-scopes.server";
import { answerShopifyWebhook, verifyShopifyWebhook } from "../webhooks/shopify-lifecycle.server";

// app/scopes_update: the stored scopes follow what the merchant granted.
export const action = async ({ request }: ActionFunctionArgs) => {
  const webhook = await verifyShopifyWebhook(request);
  return answerShopifyWebhook(webhook, scopesUpdatePayload, (payload) => recordGrantedScopes(prisma, webhook.shop, payload.current));
};
