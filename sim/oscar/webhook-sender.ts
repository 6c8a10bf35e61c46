import { createHmac } from "node:crypto";
import { setTimeout as sleepFor } from "node:timers/promises";
import type { Logger } from "../../app/logger.server";
import { createRandom, type Random } from "../shopify-admin/random";

/**
 * Delivers webhook events the way Oscar does: a signed JSON POST per event
 * (`x-oscar-signature: sha256=<hex HMAC-SHA256 of the raw body>`), retried with backoff when the
 * receiver fails or is slow, now and then delivered a second time, and now and then out of order:
 * a conversation.created held back until the conversation's next event (its first message.created)
 * was delivered, as shared/oscar-api.md warns ("can arrive more than once and out of order").
 */

export type WebhookTarget = { id: string; url: string; secret: string };
export type WebhookEvent = { id: string; type: string; data: Record<string, unknown> };

export type DeliveryAttempt = {
  eventId: string;
  type: string;
  webhookId: string;
  attempt: number;
  /** A second delivery of an event already delivered once. */
  duplicate: boolean;
  status?: number;
  error?: string;
  at: number;
};

/**
 * What the sender decided for one event on one webhook, when the event was announced: held back
 * behind the conversation's next event, delivered a second time. Decided in announce order from the
 * seed, so the same seed and the same events give the same plan however the deliveries' timing goes.
 */
export type DeliveryPlan = { eventId: string; type: string; webhookId: string; heldBack: boolean; duplicate: boolean };

export type DeliveryRetry = { maxAttempts: number; baseDelayMs: number; timeoutMs: number };
export const DEFAULT_DELIVERY_RETRY: DeliveryRetry = { maxAttempts: 5, baseDelayMs: 250, timeoutMs: 5_000 };

export function signOscarBody(rawBody: string, secret: string): string {
  return `sha256=${createHmac("sha256", secret).update(rawBody).digest("hex")}`;
}

export function createWebhookSender(options: {
  retry: DeliveryRetry;
  duplicateRate: number;
  /** Share of conversation.created events delivered after the conversation's next event. */
  outOfOrderRate: number;
  random: Random;
  logger?: Logger;
  now: () => number;
}) {
  const attempts: DeliveryAttempt[] = [];
  const plans: DeliveryPlan[] = [];
  const pending = new Set<Promise<void>>();
  const stop = new AbortController();
  // Retry waits draw from a stream of their own: a failure's timing must not shift the plan's draws.
  const jitter = createRandom(Math.floor(options.random.next() * 2 ** 32));
  /** conversation.created events held back, by webhook and conversation: what lets them go, and what stops the fallback timer. */
  const heldBack = new Map<string, { letGo: () => void; nextCame: () => void }>();

  const track = (delivery: Promise<unknown>) => {
    const tracked = delivery.then(() => undefined).finally(() => pending.delete(tracked));
    pending.add(tracked);
  };

  /**
   * Delivers `event` once the conversation's next event was delivered, or after a short wait if no
   * next event is announced by then (once one is, it waits for that delivery however long it takes).
   */
  function holdBack(target: WebhookTarget, event: WebhookEvent, key: string, duplicate: number | null) {
    let letGo!: () => void;
    const released = new Promise<void>((resolve) => (letGo = resolve));
    const timer = setTimeout(() => letGo(), options.retry.baseDelayMs * 4);
    heldBack.set(key, { letGo, nextCame: () => clearTimeout(timer) });
    track(
      released.then(() => {
        clearTimeout(timer);
        heldBack.delete(key);
        return deliverAll(target, event, duplicate);
      }),
    );
  }

  async function post(target: WebhookTarget, event: WebhookEvent, duplicate: boolean): Promise<boolean> {
    const body = JSON.stringify(event);
    for (let attempt = 1; attempt <= options.retry.maxAttempts && !stop.signal.aborted; attempt++) {
      const record: DeliveryAttempt = { eventId: event.id, type: event.type, webhookId: target.id, attempt, duplicate, at: options.now() };
      attempts.push(record);
      try {
        const response = await fetch(target.url, {
          method: "POST",
          headers: { "content-type": "application/json", "x-oscar-signature": signOscarBody(body, target.secret) },
          body,
          signal: AbortSignal.any([stop.signal, AbortSignal.timeout(options.retry.timeoutMs)]),
        });
        await response.arrayBuffer();
        record.status = response.status;
        if (response.ok) return true;
      } catch (error) {
        record.error = error instanceof Error ? error.name : "error";
      }
      options.logger?.debug({ webhookId: target.id, type: event.type, attempt, status: record.status }, "webhook delivery failed");
      if (attempt === options.retry.maxAttempts) break;
      const delayMs = options.retry.baseDelayMs * 2 ** (attempt - 1) * (0.5 + jitter.next());
      await sleepFor(delayMs, undefined, { signal: stop.signal }).catch(() => undefined);
    }
    return false;
  }

  /** Posts the event; with `duplicateAfterMs`, a second copy that long after the first was delivered. */
  async function deliverAll(target: WebhookTarget, event: WebhookEvent, duplicateAfterMs: number | null) {
    const delivered = await post(target, event, false);
    if (delivered && duplicateAfterMs !== null) {
      // A second copy, a little later, so it may overtake or trail other events.
      await sleepFor(duplicateAfterMs, undefined, { signal: stop.signal }).catch(() => undefined);
      if (!stop.signal.aborted) await post(target, event, true);
    }
  }

  return {
    deliver(target: WebhookTarget, event: WebhookEvent) {
      const conversationId = event.data.conversation_id;
      const key = `${target.id}:${String(conversationId)}`;
      // Every random choice about this event is made now, in announce order (see DeliveryPlan).
      const heldBackNow = event.type === "conversation.created" && conversationId !== undefined && options.random.chance(options.outOfOrderRate);
      const duplicateAfterMs = options.random.chance(options.duplicateRate) ? options.random.next() * options.retry.baseDelayMs : null;
      plans.push({ eventId: event.id, type: event.type, webhookId: target.id, heldBack: heldBackNow, duplicate: duplicateAfterMs !== null });
      if (heldBackNow) return holdBack(target, event, key, duplicateAfterMs);
      const delivery = deliverAll(target, event, duplicateAfterMs);
      const held = conversationId === undefined ? undefined : heldBack.get(key);
      held?.nextCame();
      track(held ? delivery.finally(held.letGo) : delivery);
    },
    attempts: (): DeliveryAttempt[] => attempts.map((a) => ({ ...a })),
    plan: (): DeliveryPlan[] => plans.map((p) => ({ ...p })),
    /** Resolves once every delivery, retries and duplicates included, is over. */
    async idle() {
      while (pending.size) await Promise.allSettled([...pending]);
    },
    close() {
      stop.abort();
      for (const { letGo } of heldBack.values()) letGo();
    },
  };
}
