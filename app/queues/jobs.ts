import { z } from "zod";
import { isSealed } from "../security/encryption.server";

/**
 * Every queue and every job the app runs, with the payload each job carries. Payloads hold ids only:
 * job data is stored as plain text in Redis, so no API key, secret or customer detail ever goes in.
 */

export const QUEUES = {
  /** Work about the store itself: reading its details after install. */
  shopSync: "shop-sync",
  /** Oscar webhook events, verified and stored by the ingest route, processed by the worker. */
  oscarEvents: "oscar-events",
  /** Knowledge sync: the store's products, pages and policies sent to the merchant's bot. */
  knowledgeSync: "knowledge-sync",
  /** The weekly Slack report (one job scheduler per shop) and the nightly purge of expired analytics rows. */
  analytics: "analytics",
  /** Upkeep of the app itself: re-encrypting stored secrets under the newest key. */
  maintenance: "maintenance",
  /** Shopify Flow action runs the merchant's workflows sent: a note or a chat message to post in Oscar. */
  flowActions: "flow-actions",
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

const shopDomain = z.string().regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/, "must be a myshopify.com domain");

export const JOBS = {
  "shop.sync-details": {
    queue: QUEUES.shopSync,
    payload: z.object({ shop: shopDomain }),
  },
  "knowledge.sync": {
    queue: QUEUES.knowledgeSync,
    // What to do (full read, changed products) is in the database; the job only says "now".
    payload: z.object({ shop: shopDomain }),
  },
  "oscar.event": {
    queue: QUEUES.oscarEvents,
    payload: z.object({
      shop: shopDomain,
      /** The event id, or a hash of the body when Oscar sends none: the idempotency key. */
      eventKey: z.string().min(1).max(128),
      type: z.string(),
      receivedAt: z.number().int(),
      /** The whole event, AES-256-GCM encrypted: it holds the shopper's email and words. */
      sealedEvent: z.string().refine(isSealed, "must be a sealed secret"),
      /** The job already booked its start against the shop's Oscar budget (a job books once). */
      startBooked: z.boolean().optional(),
      /** Times the job was put back to wait (Oscar budget, a busy conversation) without a failed try. */
      deferrals: z.number().int().min(0).optional(),
    }),
  },
  "analytics.weekly-report": {
    queue: QUEUES.analytics,
    payload: z.object({ shop: shopDomain }),
  },
  "analytics.purge-expired": {
    queue: QUEUES.analytics,
    payload: z.object({}),
  },
  "flow.action": {
    queue: QUEUES.flowActions,
    payload: z.object({
      shop: shopDomain,
      /** Flow's action_run_id: the idempotency key of the write. */
      actionRunId: z.string().min(1).max(255),
      action: z.enum(["post-private-note", "send-chat-message"]),
      conversationId: z.string().min(1).max(255),
      /** The merchant's text, AES-256-GCM encrypted: a workflow may fill it with the customer's details. */
      sealedText: z.string().refine(isSealed, "must be a sealed secret"),
    }),
  },
  /** Every shop's secrets, so it is the one job without a shop: see app/security/reencryption.server.ts. */
  "secrets.reencrypt": {
    queue: QUEUES.maintenance,
    payload: z.object({}),
  },
} as const satisfies Record<string, { queue: QueueName; payload: z.ZodType }>;

export type JobName = keyof typeof JOBS;
export type JobPayload<N extends JobName> = z.infer<(typeof JOBS)[N]["payload"]>;

/** Validates a payload read back from Redis; a job whose data does not parse can never succeed. */
export function parseJobPayload<N extends JobName>(name: N, data: unknown): JobPayload<N> {
  return JOBS[name].payload.parse(data) as JobPayload<N>;
}

export function isJobName(name: string): name is JobName {
  return Object.hasOwn(JOBS, name);
}
