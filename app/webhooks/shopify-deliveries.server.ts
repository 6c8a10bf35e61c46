import { createHash, randomUUID } from "node:crypto";
import type { Redis } from "ioredis";

/**
 * Remembers which Shopify events were handled, so a repeated delivery (Shopify retries when an answer
 * is slow or lost, and may send the same event again as a new delivery) is recognised and skipped.
 *
 * A delivery is first claimed for a short while; only when its work succeeded is it marked done for
 * longer than Shopify keeps retrying. Work that throws releases the claim, so the retry runs it again.
 */

/**
 * What makes two deliveries the same. Shopify's documented duplicate marker is X-Shopify-Event-Id: a
 * duplicate may come as a new delivery with a new X-Shopify-Webhook-Id but the same event id
 * (shopify.dev/docs/apps/build/webhooks/ignore-duplicates). The webhook id stands in only when no
 * event id came (older API versions, Events-style deliveries): then at least a retry is recognised.
 * Scoped by shop and topic: one subscription per topic here, so one event is one delivery per topic.
 */
export function duplicateMarker({ shop, topic, webhookId, eventId }: { shop: string; topic: string; webhookId: string; eventId?: string }): string {
  return eventId ? `event:${shop}:${topic}:${eventId}` : `webhook:${shop}:${topic}:${webhookId}`;
}

export type DeliveryOutcome = "handled" | "duplicate" | "in-progress";

export type ShopifyDeliveries = {
  /** Runs `work` unless a delivery with the same marker (see duplicateMarker) was handled or is running. */
  once(marker: string, work: () => Promise<void>): Promise<DeliveryOutcome>;
};

/** Shopify retries a failed delivery for up to 48 hours; remember handled ones a day longer. */
export const HANDLED_DELIVERY_TTL_SECONDS = 72 * 3600;
/** Longer than any handler runs; a process that died mid-work frees the delivery after this. */
export const DELIVERY_CLAIM_MS = 120_000;

const DONE = "done";

export function createShopifyDeliveries({ redis, prefix, claimMs = DELIVERY_CLAIM_MS, ttlSeconds = HANDLED_DELIVERY_TTL_SECONDS }: {
  redis: Redis;
  /** e.g. "oscar:" */
  prefix: string;
  claimMs?: number;
  ttlSeconds?: number;
}): ShopifyDeliveries {
  // The headers are not covered by the HMAC: hashing keeps whatever they hold out of key names.
  const keyOf = (marker: string) => `${prefix}shopify-webhook:${createHash("sha256").update(marker).digest("hex").slice(0, 32)}`;

  return {
    async once(marker, work) {
      const key = keyOf(marker);
      const claim = `claimed:${randomUUID()}`;
      if (!(await redis.set(key, claim, "PX", claimMs, "NX"))) {
        return (await redis.get(key)) === DONE ? "duplicate" : "in-progress";
      }
      try {
        await work();
      } catch (error) {
        // Only our own claim is released; one that lapsed and was taken by a retry is left to it.
        if ((await redis.get(key)) === claim) await redis.del(key);
        throw error;
      }
      await redis.set(key, DONE, "EX", ttlSeconds);
      return "handled";
    },
  };
}

/** The work is safe to repeat but could not finish now (a job still running): Shopify should deliver again. */
export class DeliveryNotFinishedError extends Error {
  override name = "DeliveryNotFinishedError";
}
