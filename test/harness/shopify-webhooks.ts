import { randomUUID } from "node:crypto";
import { getHmac } from "@shopify/shopify-api/test-helpers";
import { TEST_API_SECRET } from "./app-stack";

/** Where each topic is delivered, as declared in shopify.app.toml. */
export const SHOPIFY_WEBHOOK_PATHS = {
  "app/uninstalled": "/webhooks/app/uninstalled",
  "app/scopes_update": "/webhooks/app/scopes_update",
  "customers/data_request": "/webhooks/customers/data_request",
  "customers/redact": "/webhooks/customers/redact",
  "shop/redact": "/webhooks/shop/redact",
  "orders/create": "/webhooks/orders/create",
  "orders/updated": "/webhooks/orders/updated",
  "products/create": "/webhooks/products/create",
  "products/update": "/webhooks/products/update",
  "products/delete": "/webhooks/products/delete",
  "collections/create": "/webhooks/collections/create",
  "collections/update": "/webhooks/collections/update",
  "collections/delete": "/webhooks/collections/delete",
} as const;

export type ShopifyTopic = keyof typeof SHOPIFY_WEBHOOK_PATHS;

/** One delivery of one Shopify event: X-Shopify-Webhook-Id names the delivery, X-Shopify-Event-Id the event. */
export type ShopifyDelivery = { topic: ShopifyTopic; shop: string; body: string; webhookId: string; eventId: string };

/**
 * The first delivery of a new event. Send the same object again to model Shopify's retry (same
 * webhook id, same event id); use duplicateDelivery for the same event sent as a new delivery.
 */
export function shopifyDelivery(topic: ShopifyTopic, shop: string, payload: unknown): ShopifyDelivery {
  return { topic, shop, body: JSON.stringify(payload), webhookId: randomUUID(), eventId: randomUUID() };
}

/** The same event delivered again as a new delivery: a new X-Shopify-Webhook-Id, the same X-Shopify-Event-Id. */
export function duplicateDelivery(delivery: ShopifyDelivery): ShopifyDelivery {
  return { ...delivery, webhookId: randomUUID() };
}

/** Posts a delivery with Shopify's headers and a real HMAC of the raw body (or one made with another secret). */
export async function sendShopifyWebhook(appUrl: string, delivery: ShopifyDelivery, { secret = TEST_API_SECRET } = {}): Promise<Response> {
  const response = await fetch(`${appUrl}${SHOPIFY_WEBHOOK_PATHS[delivery.topic]}`, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      "X-Shopify-Hmac-Sha256": getHmac(delivery.body, secret),
      "X-Shopify-Topic": delivery.topic,
      "X-Shopify-Shop-Domain": delivery.shop,
      "X-Shopify-Webhook-Id": delivery.webhookId,
      "X-Shopify-API-Version": "2026-10",
      "X-Shopify-Event-Id": delivery.eventId,
      "X-Shopify-Triggered-At": new Date().toISOString(),
    },
    body: delivery.body,
  });
  await response.arrayBuffer();
  return response;
}

/** The payloads Shopify sends for each topic (shapes from Shopify's webhook reference). */
export const shopifyPayloads = {
  appUninstalled: (shop: string) => ({ id: 690933842, name: "Test shop", myshopify_domain: shop, domain: shop }),
  scopesUpdate: (current: string[], previous: string[] = []) => ({ id: 1, previous, current, updated_at: new Date().toISOString() }),
  customersDataRequest: (shop: string, customer: { id: string; email: string }, dataRequestId: number) => ({
    shop_id: 954889,
    shop_domain: shop,
    orders_requested: [],
    customer: { id: Number(customer.id), email: customer.email, phone: null },
    data_request: { id: dataRequestId },
  }),
  customersRedact: (shop: string, customer: { id: string; email: string }) => ({
    shop_id: 954889,
    shop_domain: shop,
    customer: { id: Number(customer.id), email: customer.email, phone: null },
    orders_to_redact: [],
  }),
  shopRedact: (shop: string) => ({ shop_id: 954889, shop_domain: shop }),
  /** products/update (and create): the fields the app reads are the id; the sync reads the product fresh. */
  productUpdated: (product: { id: string; title: string }) => ({
    id: Number(product.id.split("/").pop()),
    admin_graphql_api_id: product.id,
    title: product.title,
    updated_at: new Date().toISOString(),
  }),
  productDeleted: (productId: string) => ({ id: Number(productId.split("/").pop()) }),
  collectionUpdated: (collection: { id: string; title: string; handle: string }) => ({
    id: Number(collection.id.split("/").pop()),
    admin_graphql_api_id: collection.id,
    title: collection.title,
    handle: collection.handle,
    updated_at: new Date().toISOString(),
  }),
  /**
   * An order as orders/create and orders/updated send it (the fields the app reads, and some personal
   * ones it must not keep). `currentTotal` is what it is worth after refunds (the total if not given).
   */
  orderCreated: (order: { id: number; customerId: number | null; total: string; currency: string; createdAt: string; updatedAt?: string; currentTotal?: string; cancelledAt?: string }) => {
    const currentTotal = order.currentTotal ?? order.total;
    return {
      id: order.id,
      name: `#${order.id % 10_000}`,
      email: "shopper@example.com",
      created_at: order.createdAt,
      updated_at: order.updatedAt ?? order.createdAt,
      cancelled_at: order.cancelledAt ?? null,
      cancel_reason: order.cancelledAt ? "customer" : null,
      currency: order.currency,
      total_price: order.total,
      total_price_set: { shop_money: { amount: order.total, currency_code: order.currency }, presentment_money: { amount: order.total, currency_code: order.currency } },
      current_total_price: currentTotal,
      current_total_price_set: { shop_money: { amount: currentTotal, currency_code: order.currency }, presentment_money: { amount: currentTotal, currency_code: order.currency } },
      customer: order.customerId === null ? null : { id: order.customerId, email: "shopper@example.com", first_name: "Maya", last_name: "Lind" },
      billing_address: { name: "Maya Lind", address1: "1 Main St", city: "Oslo" },
    };
  },
};
