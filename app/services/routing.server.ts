import type { PrismaClient } from "@prisma/client";
import type { Redis } from "ioredis";
import type { Logger } from "../logger.server";
import { ProtectedDataDenied } from "../shopify/admin-graphql.server";
import { claimMilestone, ensureConversationRecord, findConversationRecord } from "../models/conversation-record.server";
import type { EscalationRules } from "../models/escalation-rules.server";
import type { SlackAlertKind } from "../models/slack-settings.server";
import type { OscarClient } from "../oscar/client.server";
import type { OscarWebhookEventOf } from "../oscar/contract";
import { botEscalationAlert, orderSummaryOf, urgentAlert, vipAlert } from "../slack/alerts";
import type { SlackMessage, SlackSender } from "../slack/slack.server";
import type { ShopifyCustomer } from "./customer-lookup.server";
import { urgentKeywordsIn, vipReason } from "./escalation-match";

export type RoutingDeps = {
  db: PrismaClient;
  oscar: OscarClient;
  rules: EscalationRules;
  slackUrl: (kind: SlackAlertKind) => Promise<string | null>;
  sendSlack: SlackSender;
  /**
   * The Shopify customer of a contact carrying a valid signed storefront identity (looked up, or
   * cached), else null. What VIP status and alerts' order summaries come from: never the contact's
   * attributes, which the shopper can set, and never whether enrichment ran first.
   */
  verifiedCustomer: (contact: unknown) => Promise<ShopifyCustomer | null>;
  logger: Logger;
  now?: () => Date;
};

export type RoutingOutcome = { urgent: string[]; vip: string | null };

/** Sends a Slack alert if the merchant set a URL for this kind. */
async function alertSlack(deps: RoutingDeps, kind: SlackAlertKind, message: SlackMessage): Promise<boolean> {
  const url = await deps.slackUrl(kind);
  if (!url) return false;
  await deps.sendSlack(url, message);
  return true;
}

type Milestone = "urgentAt" | "vipAt";

/**
 * Runs a one-off side effect (an alert) unless this conversation already had it, then records it.
 * Recorded after, not before: a failed alert is retried with the job rather than lost; only a crash
 * between sending and recording could repeat it.
 */
async function oncePerConversation(deps: RoutingDeps, shop: string, conversationId: string, milestone: Milestone, effect: () => Promise<unknown>) {
  const record = await ensureConversationRecord(deps.db, shop, conversationId);
  if (record[milestone]) return;
  await effect();
  await claimMilestone(deps.db, shop, conversationId, milestone, (deps.now ?? (() => new Date()))());
}

/**
 * The signed-in shopper's customer, or null. When Shopify withholds the customer (protected customer
 * data not approved) routing goes on without it: urgent words still escalate, nobody is made VIP on
 * a guess, and the enrichment note tells agents and the home page tells the merchant why.
 */
async function customerForRouting(deps: RoutingDeps, shop: string, contact: unknown): Promise<ShopifyCustomer | null> {
  try {
    return await deps.verifiedCustomer(contact);
  } catch (error) {
    if (!(error instanceof ProtectedDataDenied)) throw error;
    deps.logger.warn({ shop, withheld: error.denied }, "Shopify withheld the signed-in customer: routing without VIP facts");
    return null;
  }
}

const customerName = (contact: { name?: string | null } | undefined) => contact?.name?.trim() || "A shopper";

/**
 * message.created → the shop's escalation rules: urgent keywords and VIP customers each get their
 * label, their agent and a Slack alert. Labels are sets and assignments are checked before they are
 * repeated; the alert goes out once per conversation and kind.
 *
 * Each rule assigns once per conversation, decided from what the app recorded, not from which
 * message happens to be handled last: Oscar delivers out of order and a job that waited may run after
 * a later message's. The first urgent message gives the conversation to the urgent agent; the VIP
 * agent gets it only if no urgent agent has, and only on the first VIP message. Later messages never
 * take it back from whoever has it now (a teammate who took it over in Oscar's inbox keeps it).
 */
export async function routeMessage(
  deps: RoutingDeps,
  shop: string,
  event: OscarWebhookEventOf<"message.created">,
  { retrying }: { retrying: boolean },
): Promise<RoutingOutcome> {
  const { conversation_id: conversationId, message, contact } = event.data;
  // Only what the shopper writes can escalate; notes and agent replies cannot.
  if (message.message_type !== "incoming" || message.private) return { urgent: [], vip: null };

  const text = message.content ?? "";
  const urgent = urgentKeywordsIn(text, deps.rules.urgentKeywords);
  const customer = await customerForRouting(deps, shop, contact);
  const vip = vipReason(customer, deps.rules);
  const context = { conversationId, customer: customerName(contact), orderSummary: orderSummaryOf(customer) };
  if (!urgent.length && !vip) return { urgent, vip };

  // What earlier messages of this conversation already routed (urgentAt/vipAt are set once routed).
  const routed = await ensureConversationRecord(deps.db, shop, conversationId);
  const urgentAgent = deps.rules.urgentAgentId;
  const urgentAgentHasIt = Boolean(urgentAgent) && (Boolean(routed.urgentAt) || urgent.length > 0);
  if (urgent.length) {
    await deps.oscar.addLabels(conversationId, [deps.rules.urgentLabel]);
    if (urgentAgent && !routed.urgentAt) await deps.oscar.assignConversation(conversationId, urgentAgent, { checkFirst: retrying });
    await oncePerConversation(deps, shop, conversationId, "urgentAt", () => alertSlack(deps, "urgent", urgentAlert(context, urgent, text)));
  }
  if (vip) {
    await deps.oscar.addLabels(conversationId, [deps.rules.vipLabel]);
    // The urgent rule wins the assignment, whichever message was handled first.
    if (deps.rules.vipAgentId && !routed.vipAt && !urgentAgentHasIt) {
      await deps.oscar.assignConversation(conversationId, deps.rules.vipAgentId, { checkFirst: retrying });
    }
    await oncePerConversation(deps, shop, conversationId, "vipAt", () => alertSlack(deps, "vip", vipAlert(context, vip, text)));
  }
  deps.logger.info({ shop, conversationId, urgent: urgent.length > 0, vip: Boolean(vip) }, "conversation routed");
  return { urgent, vip };
}

/** The next agent of the pool, in turn, shared by every worker process through Redis. */
export async function nextRoundRobinAgent(redis: Redis, key: string, agents: string[]): Promise<string | null> {
  if (agents.length === 0) return null;
  const turn = await redis.incr(key);
  return agents[(turn - 1) % agents.length];
}

export type BotEscalationDeps = RoutingDeps & { nextAgent: (agents: string[]) => Promise<string | null> };

/**
 * bot.escalated → the next agent of the round-robin pool, contact attributes recording the
 * escalation, and a Slack alert with the customer, reason, last message and orders.
 */
export async function handleBotEscalation(
  deps: BotEscalationDeps,
  shop: string,
  event: OscarWebhookEventOf<"bot.escalated">,
): Promise<{ assignee: string | null; duplicate: boolean }> {
  const now = deps.now ?? (() => new Date());
  const { conversation_id: conversationId, reason, last_message: lastMessage } = event.data;
  const record = await ensureConversationRecord(deps.db, shop, conversationId);
  if (record.botEscalatedAt) return { assignee: record.assigneeId, duplicate: true };

  const conversation = await deps.oscar.getConversation(conversationId, ["contact", "assignee"]);
  // A conversation an agent already has (the urgent or VIP rule's, or one who took it in Oscar) stays
  // theirs: the hand-off must not take it from the urgent agent for the next one in the pool. Otherwise
  // the pool's agent is chosen once and remembered, so a retried job does not take a second turn.
  const current = conversation.assignee?.id ? String(conversation.assignee.id) : null;
  let assignee = current ?? record.assigneeId;
  if (!assignee) {
    const candidate = await deps.nextAgent(deps.rules.botEscalationAgents);
    if (candidate) {
      await deps.db.conversationRecord.updateMany({ where: { shop, conversationId, assigneeId: null }, data: { assigneeId: candidate } });
      assignee = (await findConversationRecord(deps.db, shop, conversationId))?.assigneeId ?? candidate;
    }
  }
  if (assignee && assignee !== current) await deps.oscar.assignConversation(conversationId, assignee, { checkFirst: true });
  if (conversation.contact?.id !== undefined) {
    await deps.oscar.updateContact(String(conversation.contact.id), {
      escalated: true,
      escalation_reason: reason ?? "unspecified",
      escalated_at: now().toISOString(),
    });
  }
  const contact = conversation.contact ?? event.data.contact;
  const context = { conversationId, customer: customerName(contact ?? undefined), orderSummary: orderSummaryOf(await customerForRouting(deps, shop, contact)) };
  await alertSlack(deps, "botEscalation", botEscalationAlert(context, reason ?? "unspecified", lastMessage ?? null, assignee));
  await claimMilestone(deps.db, shop, conversationId, "botEscalatedAt", now());
  deps.logger.info({ shop, conversationId, assigned: Boolean(assignee) }, "bot escalation handled");
  return { assignee, duplicate: false };
}
