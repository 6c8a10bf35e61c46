import type { PrismaClient } from "@prisma/client";
import { createHash } from "node:crypto";
import type { Job } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "../../app/logger.server";
import { loadEscalationRules } from "../../app/models/escalation-rules.server";
import { markEventReceived } from "../../app/models/oscar-connection.server";
import { slackUrlFor } from "../../app/models/slack-settings.server";
import { OscarWebhookEventSchema, type OscarWebhookEvent } from "../../app/oscar/contract";
import type { OscarClientFactory } from "../../app/oscar/for-shop.server";
import { withConversationLock } from "../../app/queues/conversation-lock.server";
import { parseJobPayload, type JobPayload } from "../../app/queues/jobs";
import { decryptSecret, type EncryptionKeyring } from "../../app/security/encryption.server";
import { recordConversationOutcome } from "../../app/services/conversation-outcome.server";
import type { CustomerLookup } from "../../app/services/customer-lookup.server";
import { enrichConversation } from "../../app/services/enrichment.server";
import { answerOrderStatus } from "../../app/services/order-status.server";
import { handleBotEscalation, nextRoundRobinAgent, routeMessage } from "../../app/services/routing.server";
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
  logger: Logger;
};

/**
 * `oscar.event`: opens the sealed event and hands it to the service for its type. Returns nothing:
 * BullMQ stores a job's return value in Redis as plain text, and outcomes can describe a customer.
 */
export function createOscarEventProcessor(deps: OscarEventDeps) {
  const handle = handleOscarEvent(deps);
  return async (job: Job): Promise<void> => {
    const payload = parseJobPayload("oscar.event", job.data);
    const event = OscarWebhookEventSchema.parse(JSON.parse(decryptSecret(deps.keyring, payload.sealedEvent)));
    // One conversation's events are handled one at a time, across every worker process.
    const conversation = createHash("sha256").update(`${payload.shop}\n${event.data.conversation_id}`).digest("hex").slice(0, 32);
    await withConversationLock(deps.redis, `${deps.redisPrefix}conversation-lock:${conversation}`, deps.lockMs, () => handle(job, payload, event));
  };
}

function handleOscarEvent(deps: OscarEventDeps) {
  return async (job: Job, payload: JobPayload<"oscar.event">, event: OscarWebhookEvent) => {
    const { shop } = payload;
    const logger = deps.logger.child({ job: job.name, jobId: job.id, shop, type: event.type });
    // A job that failed before, or was cut short by a crash, may already have written to Oscar.
    const retrying = job.attemptsMade > 0 || (job.stalledCounter ?? 0) > 0;
    await markEventReceived(deps.db, shop, new Date(payload.receivedAt));

    switch (event.type) {
      case "conversation.created":
        return enrichConversation(
          {
            db: deps.db,
            oscar: await deps.oscarFor(shop),
            adminGraphql: () => deps.adminGraphqlFor(shop),
            findCustomer: deps.findCustomer,
            verifyIdentity: (contact) => verifyContactIdentity({ appSecret: deps.appSecret, shop, now: new Date() }, contact),
            logger,
          },
          shop,
          event,
          { retrying },
        );
      case "message.created":
      case "bot.escalated": {
        const routing = {
          db: deps.db,
          oscar: await deps.oscarFor(shop),
          rules: await loadEscalationRules(deps.db, shop),
          slackUrl: (kind: Parameters<typeof slackUrlFor>[3]) => slackUrlFor(deps.db, deps.keyring, shop, kind),
          sendSlack: deps.sendSlack,
          logger,
        };
        if (event.type === "message.created") {
          await routeMessage(routing, shop, event, { retrying });
          return answerOrderStatus(
            {
              db: deps.db,
              oscar: routing.oscar,
              adminGraphql: () => deps.adminGraphqlFor(shop),
              verifyIdentity: (contact) => verifyContactIdentity({ appSecret: deps.appSecret, shop, now: new Date() }, contact),
              logger,
            },
            shop,
            event,
            { retrying },
          );
        }
        return handleBotEscalation(
          { ...routing, nextAgent: (agents) => nextRoundRobinAgent(deps.redis, `${deps.redisPrefix}round-robin:${shop}`, agents) },
          shop,
          event,
        );
      }
      case "conversation.assigned":
      case "conversation.resolved":
        return recordConversationOutcome({ db: deps.db }, shop, event);
    }
  };
}
