import { createHash, randomUUID } from "node:crypto";
import type { Redis } from "ioredis";

/**
 * Remembers which Shopify webhook deliveries were handled, by their X-Shopify-Webhook-Id, so a
 * repeated delivery (Shopify retries when an answer is slow or lost) is recognised and skipped.
 *
 * A delivery is first claimed for a short while; only when its work succeeded is it marked done for
 * longer than Shopify keeps retrying. Work that throws releases the claim, so the retry runs it again.
 */

export type DeliveryOutcome = "handled" | "duplicate" | "in-progress";

export type ShopifyDeliveries = {
  once(webhookId: string, work: () => Promise<void>): Promise<DeliveryOutcome>;
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
  // The header is not covered by the HMAC: hashing keeps whatever it holds out of key names.
  const keyOf = (webhookId: string) => `${prefix}shopify-webhook:${createHash("sha256").update(webhookId).digest("hex").slice(0, 32)}`;

  return {
    async once(webhookId, work) {
      const key = keyOf(webhookId);
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
