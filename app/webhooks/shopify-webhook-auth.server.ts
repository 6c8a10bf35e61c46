import type { WebhookValidation } from "@shopify/shopify-api";

/** A Shopify webhook whose HMAC the library checked: who it is for, which topic, which delivery. */
export type VerifiedShopifyWebhook = { shop: string; topic: string; webhookId: string; payload: unknown };

type AuthenticateWebhook = (request: Request) => Promise<{ shop: string; topic: string; webhookId: string; payload: unknown }>;
type ValidateWebhook = (params: { rawBody: string; rawRequest: Request }) => Promise<WebhookValidation>;

/**
 * Verifies a Shopify webhook with `authenticate.webhook`. Once the HMAC is valid, that call also
 * refreshes the shop's offline token when it expired; after an uninstall Shopify refuses the refresh
 * and the library answers a bare 500 (Shopify/shopify-app-js#3360), so app/uninstalled and the
 * privacy webhooks would fail on every retry. Then the library's own validator checks the delivery
 * again without the session: a forged delivery still gets 401, a genuine one reaches its handler.
 */
export function createWebhookVerifier({ authenticateWebhook, validateWebhook }: { authenticateWebhook: AuthenticateWebhook; validateWebhook: ValidateWebhook }) {
  return async (request: Request): Promise<VerifiedShopifyWebhook> => {
    const copy = request.clone();
    try {
      const { shop, topic, webhookId, payload } = await authenticateWebhook(request);
      return { shop, topic, webhookId, payload };
    } catch (thrown) {
      // 401 (bad HMAC), 400 (missing headers), 405: the library's verdict on the delivery itself.
      if (thrown instanceof Response && thrown.status < 500) throw thrown;
      const rawBody = await copy.text();
      const check = await validateWebhook({ rawBody, rawRequest: copy });
      if (!check.valid) throw new Response(undefined, { status: check.reason === "invalid_hmac" ? 401 : 400 });
      return { shop: check.domain, topic: check.topic, webhookId: check.webhookId, payload: JSON.parse(rawBody) };
    }
  };
}
