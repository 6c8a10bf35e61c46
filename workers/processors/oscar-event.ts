import type { PrismaClient } from "@prisma/client";
import { createHash } from "node:crypto";
import { DelayedError, type Job } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "../../app/logger.server";
import { loadEscalationRules } from "../../app/models/escalation-rules.server";
import { createEventReceivedMarker } from "../../app/models/oscar-connection.server";
import { slackUrlFor } from "../../app/models/slack-settings.server";
import { OscarWebhookEventSchema, type OscarWebhookEvent } from "../../app/oscar/contract";
import type { OscarClient } from "../../app/oscar/client.server";
import type { OscarClientFactory } from "../../app/oscar/for-shop.server";
import { ConversationBusyError, waitBehindConversation, withConversationLock } from "../../app/queues/conversation-lock.server";
import { parseJobPayload, type JobPayload } from "../../app/queues/jobs";
import { decryptSecret, SECRET_FIELDS, type EncryptionKeyring } from "../../app/security/encryption.server";
import { recordConversationOutcome } from "../../app/services/conversation-outcome.server";
import type { CustomerLookup } from "../../app/services/customer-lookup.server";
import { fireHandOffFlowTrigger, fireMessageFlowTriggers, fireResolvedFlowTrigger } from "../../app/services/conversation-flow-triggers.server";
import type { FlowTriggerKind } from "../../app/services/flow-triggers.server";
import { enrichConversation } from "../../app/services/enrichment.server";
import { handleOrderCommandNote, looksLikeOrderCommand } from "../../app/services/order-commands.server";
import { answerOrderStatus } from "../../app/services/order-status.server";
import { handleBotEscalation, nextRoundRobinAgent, routeMessage } from "../../app/services/routing.server";
import { findVerifiedCustomer } from "../../app/services/shopper-customer.server";
import type { SlackSender } from "../../app/slack/slack.server";
import { verifyContactIdentity } from "../../app/storefront/verify-contact.server";
import type { AdminGraphqlFor } from "./shop-details";

export type OscarEventDeps = {
  db: PrismaClient;
  /** How long a conversation stays locked if its holder dies (the worker's job lock). */
  lockMs: number;
  /** The app secret, from which each shop's storefront identity key is derived. */
  appSecret: string;
  redis: Redis;
  redisPrefix: string;
  keyring: EncryptionKeyring;
  oscarFor: OscarClientFactory;
  adminGraphqlFor: AdminGraphqlFor;
  findCustomer: CustomerLookup;
  sendSlack: SlackSender;
  /** The Flow triggers the shop's workflows use (a cache the web process's announcements keep current). */
  flowTriggersInUse: (shop: string) => Promise<Set<FlowTriggerKind>>;
  /** Moves these deferred oscar-events jobs from the delayed set to the back of their lane, if still there (BullMQ promotes to the back). */
  wakeJobs: (jobIds: string[]) => Promise<void>;
  logger: Logger;
};

/**
 * `oscar.event`: opens the sealed event and hands it to the service for its type. Returns nothing:
 * BullMQ stores a job's return value in Redis as plain text, and outcomes can describe a customer.
 */
export function createOscarEventProcessor(deps: OscarEventDeps) {
  const handle = handleOscarEvent(deps);
  return async (job: Job, token?: string): Promise<void> => {
    const payload = parseJobPayload("oscar.event", job.data);
    const event = OscarWebhookEventSchema.parse(JSON.parse(decryptSecret(deps.keyring, payload.sealedEvent, { shop: payload.shop, field: SECRET_FIELDS.oscarEvent })));
    // The shop's Oscar client (its key read and decrypted) once per job, only if the job needs it.
    let client: Promise<OscarClient> | undefined;
    const oscar = () => (client ??= deps.oscarFor(payload.shop));
    const booked = await waitForOscarBudget(oscar, job, token, payload, expectedOscarRequests(event));
    // One conversation's events are handled one at a time, across every worker process.
    const conversation = createHash("sha256").update(`${payload.shop}\n${event.data.conversation_id}`).digest("hex").slice(0, 32);
    const lock = `${deps.redisPrefix}conversation-lock:${conversation}`;
    try {
      await withConversationLock(deps.redis, lock, deps.lockMs, () => handle(job, payload, event, oscar), deps.wakeJobs);
    } catch (error) {
      // Waiting for the conversation's other event is not a failure: it must not use up a try.
      // Its Oscar start stays booked: coming back, it does not book (and take budget) a second time.
      // The holder wakes it when it releases the lock; the delay only covers a holder that died.
      if (error instanceof ConversationBusyError) {
        return defer(job, token, payload, CONVERSATION_BUSY_FALLBACK_MS * (0.5 + Math.random()), { startBooked: booked }, () =>
          waitBehindConversation(deps.redis, lock, deps.lockMs, job),
        );
      }
      throw error;
    }
  };
}

/**
 * How soon an event whose conversation is busy looks again if nobody wakes it (jittered): a holder
 * that died, or a wake-up lost to a Redis error. It is normally woken the moment the other event's job
 * releases the conversation (before, it always waited 0.25-0.75 s, however short that job was), so
 * this wait is rare and looks again less often than the old one did.
 */
const CONVERSATION_BUSY_FALLBACK_MS = 1_000;

/**
 * Puts the job back in the delayed set for `waitMs` without counting a failed try, and frees its
 * worker slot. The count of deferrals tells later starts apart from retries (mayHaveWrittenBefore).
 * `whenDelayed` runs once the job is in the delayed set (where it can be promoted), before the slot is freed.
 */
async function defer(
  job: Job,
  token: string | undefined,
  payload: JobPayload<"oscar.event">,
  waitMs: number,
  changes: Partial<JobPayload<"oscar.event">> = {},
  whenDelayed?: () => Promise<void>,
): Promise<never> {
  await job.updateData({ ...payload, ...changes, deferrals: (payload.deferrals ?? 0) + 1 });
  await job.moveToDelayed(Date.now() + Math.ceil(waitMs), token);
  await whenDelayed?.();
  throw new DelayedError();
}

/**
 * Oscar requests an event's work usually makes. Every event that may call Oscar books its start, in
 * arrival order, so a conversation's events keep their order when its shop is over budget;
 * conversation.assigned and .resolved only record what happened and start at once, and so does a
 * message no rule reads (a note, an agent's or the bot's reply: routing and order-status answers
 * look only at what the shopper writes). Booking budget for those would leave it unused: the app's
 * own enrichment note comes back as a message.created, and at 0.5 each a busy shop got only 80 % of
 * its key's 300 a minute (measured: 229, test/reliability/oscar-rate-limit.ts). The exception is a
 * private note that reads as an order command (/refund, /confirm …): it is answered with one note.
 */
export function expectedOscarRequests(event: OscarWebhookEvent): number {
  switch (event.type) {
    case "conversation.created":
      return 2; // the note and the contact's attributes
    case "message.created": {
      const { message } = event.data;
      if (looksLikeOrderCommand(message)) return 1; // the preview, the result or the reason for refusing
      return message.message_type === "incoming" && !message.private ? 0.5 : 0; // a label, an assignment or an order-status answer, for some
    }
    case "bot.escalated":
      return 4; // read the conversation, assign it, mark the contact; the Flow trigger reads the contact's identity
    case "conversation.assigned":
    case "conversation.resolved":
      return 0;
  }
}

/** A job whose booked start is further away than this goes back to the queue until then, freeing its worker slot. */
const LONGEST_WAIT_IN_A_SLOT_MS = 1_000;

/** Books the job's start once (true once it is booked); a start too far off defers the job until then. */
async function waitForOscarBudget(oscar: () => Promise<OscarClient>, job: Job, token: string | undefined, payload: JobPayload<"oscar.event">, expected: number): Promise<boolean> {
  if (!expected || payload.startBooked) return Boolean(payload.startBooked);
  const waitMs = await (await oscar()).bookJobStart(expected);
  // A short wait is spent in the limiter, request by request; a long one in the delayed set.
  if (waitMs > LONGEST_WAIT_IN_A_SLOT_MS) await defer(job, token, payload, waitMs, { startBooked: true });
  return true;
}

/**
 * A job that failed before, was cut short by a crash, or was retried from the dead-letter list (which
 * starts its attempts afresh) may already have written to Oscar, so its writes look first. BullMQ
 * counts every start; a start that only deferred the job (Oscar budget, busy conversation) wrote nothing.
 */
function mayHaveWrittenBefore(job: Job, payload: JobPayload<"oscar.event">): boolean {
  return job.attemptsMade > 0 || (job.stalledCounter ?? 0) > 0 || job.attemptsStarted > 1 + (payload.deferrals ?? 0);
}

function handleOscarEvent(deps: OscarEventDeps) {
  const markEventReceived = createEventReceivedMarker(deps.db);
  return async (job: Job, payload: JobPayload<"oscar.event">, event: OscarWebhookEvent, oscar: () => Promise<OscarClient>) => {
    const { shop } = payload;
    const logger = deps.logger.child({ job: job.name, jobId: job.id, shop, type: event.type });
    const retrying = mayHaveWrittenBefore(job, payload);
    const receivedAt = new Date(payload.receivedAt);
    await markEventReceived(shop, receivedAt);
    // Identities are checked against when the app received the event (its own clock, in the payload),
    // not when the job runs: a short-lived identity valid then stays valid for a job retried later.
    const shopperDeps = {
      findCustomer: deps.findCustomer,
      adminGraphql: () => deps.adminGraphqlFor(shop),
      verifyIdentity: (contact: unknown) => verifyContactIdentity({ appSecret: deps.appSecret, shop, now: receivedAt }, contact),
    };
    // Shopify Flow triggers, sent after the event's own work (inside the conversation's lock), once per conversation and kind.
    const flowTriggers = {
      db: deps.db,
      adminGraphql: shopperDeps.adminGraphql,
      leaseMs: deps.lockMs,
      verifiedCustomer: (contact: unknown) => findVerifiedCustomer(shopperDeps, shop, contact),
      triggersInUse: deps.flowTriggersInUse,
      oscarContact: async (conversationId: string) => (await (await oscar()).getConversation(conversationId, ["contact"])).contact,
      logger,
    };

    switch (event.type) {
      case "conversation.created":
        return enrichConversation(
          { ...shopperDeps, db: deps.db, oscar: await oscar(), logger },
          shop,
          event,
          { retrying },
        );
      case "message.created":
      case "bot.escalated": {
        const routing = {
          db: deps.db,
          oscar: await oscar(),
          rules: await loadEscalationRules(deps.db, shop),
          slackUrl: (kind: Parameters<typeof slackUrlFor>[3]) => slackUrlFor(deps.db, deps.keyring, shop, kind),
          sendSlack: deps.sendSlack,
          verifiedCustomer: (contact: unknown) => findVerifiedCustomer(shopperDeps, shop, contact),
          logger,
        };
        // A private note is for agents only: routing and order-status answers read what shoppers write.
        if (event.type === "message.created" && event.data.message.private) {
          return handleOrderCommandNote(
            { db: deps.db, oscar: routing.oscar, adminGraphql: shopperDeps.adminGraphql, verifyIdentity: shopperDeps.verifyIdentity, appSecret: deps.appSecret, now: () => new Date(), logger },
            shop,
            event,
          );
        }
        if (event.type === "message.created") {
          const routed = await routeMessage(routing, shop, event, { retrying });
          await answerOrderStatus(
            { db: deps.db, oscar: routing.oscar, adminGraphql: shopperDeps.adminGraphql, verifyIdentity: shopperDeps.verifyIdentity, logger },
            shop,
            event,
            { retrying },
          );
          return fireMessageFlowTriggers(flowTriggers, shop, event, routed);
        }
        await handleBotEscalation(
          { ...routing, nextAgent: (agents) => nextRoundRobinAgent(deps.redis, `${deps.redisPrefix}round-robin:${shop}`, agents) },
          shop,
          event,
        );
        return fireHandOffFlowTrigger(flowTriggers, shop, event);
      }
      case "conversation.assigned":
        return recordConversationOutcome({ db: deps.db }, shop, event);
      case "conversation.resolved":
        await recordConversationOutcome({ db: deps.db }, shop, event);
        return fireResolvedFlowTrigger(flowTriggers, shop, event);
    }
  };
}
