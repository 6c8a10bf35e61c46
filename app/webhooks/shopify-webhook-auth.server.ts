import { WebhookType, type WebhookValidation } from "@shopify/shopify-api";

/**
 * A Shopify webhook whose HMAC the library checked: who it is for, which topic, which delivery
 * (X-Shopify-Webhook-Id) of which event (X-Shopify-Event-Id, when Shopify sent one).
 */
export type VerifiedShopifyWebhook = { shop: string; topic: string; webhookId: string; eventId?: string; payload: unknown; bodyIsJson: boolean };

type AuthenticateWebhook = (request: Request) => Promise<{ shop: string; topic: string; webhookId: string; eventId?: string; payload: unknown }>;
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
      const { shop, topic, webhookId, eventId, payload } = await authenticateWebhook(request);
      return { shop, topic, webhookId, eventId, payload, bodyIsJson: true };
    } catch (thrown) {
      // 401 (bad HMAC), 400 (missing headers), 405: the library's verdict on the delivery itself.
      if (thrown instanceof Response && thrown.status < 500) throw thrown;
      const rawBody = await copy.text();
      const check = await validateWebhook({ rawBody, rawRequest: copy });
      if (!check.valid) throw new Response(undefined, { status: check.reason === "invalid_hmac" ? 401 : 400 });
      const eventId = check.webhookType === WebhookType.Webhooks ? check.eventId : undefined;
      // The library parses the body after the HMAC check and throws on bad JSON: a signed body that is not
      // JSON is told apart here rather than thrown, so it gets an answer instead of a 500 Shopify retries.
      const parsed = parseJson(rawBody);
      return { shop: check.domain, topic: check.topic, webhookId: check.webhookId, eventId, payload: parsed.value, bodyIsJson: parsed.ok };
    }
  };
}

function parseJson(text: string): { ok: boolean; value: unknown } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, value: undefined };
  }
}
