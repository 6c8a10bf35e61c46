import { findConversationRecord } from "../models/conversation-record.server";
import type { OscarWebhookEventOf } from "../oscar/contract";
import { ProtectedDataDenied } from "../shopify/admin-graphql.server";
import type { ShopifyCustomer } from "./customer-lookup.server";
import { fireFlowTrigger, type FlowTriggerDeps, type FlowTriggerKind } from "./flow-triggers.server";
import { mentionedOrderName } from "./order-status.server";
import type { RoutingOutcome } from "./routing.server";

export type ConversationFlowTriggerDeps = FlowTriggerDeps & {
  /** The Shopify customer of a contact with a valid signed storefront identity, else null (as routing uses it). */
  verifiedCustomer: (contact: unknown) => Promise<ShopifyCustomer | null>;
  /** The conversation's contact as Oscar has it (with the attributes the widget set), for events that carry less. */
  oscarContact: (conversationId: string) => Promise<unknown>;
  /** The triggers the shop's workflows use (flowTriggersInUse, kept by the worker: flow-trigger-usage-cache.server.ts). */
  triggersInUse: (shop: string) => Promise<Set<FlowTriggerKind>>;
};

const legacyId = (gid: string) => gid.slice(gid.lastIndexOf("/") + 1);

/**
 * Who the conversation is with, for Flow: the signed-in customer of the event's contact, else the one
 * enrichment recorded from a signed identity. A typed email never names a customer to Flow. When
 * Shopify withholds the customer the trigger still fires, without one.
 */
async function customerFor(deps: ConversationFlowTriggerDeps, shop: string, conversationId: string, contact: unknown, { askOscar = false } = {}): Promise<{ id: string | null; customer: ShopifyCustomer | null }> {
  const verified = async (candidate: unknown) => {
    try {
      return candidate ? await deps.verifiedCustomer(candidate) : null;
    } catch (error) {
      if (!(error instanceof ProtectedDataDenied)) throw error;
      return null;
    }
  };
  const customer = (await verified(contact)) ?? (askOscar ? await verified(await deps.oscarContact(conversationId)) : null);
  if (customer) return { id: legacyId(customer.id), customer };
  return { id: (await findConversationRecord(deps.db, shop, conversationId))?.shopifyCustomerId ?? null, customer: null };
}

/** The order a message names ("#1042"), only when it is one of that signed-in customer's own recent orders. */
function orderNamedIn(customer: ShopifyCustomer | null, text: string | null | undefined): string | null {
  const name = text ? mentionedOrderName(text) : null;
  const order = name && customer?.orders.nodes.find((o) => o.name === name);
  return order ? legacyId(order.id) : null;
}

/** message.created that routing found urgent or VIP → "Urgent conversation" and "VIP customer is chatting", once each per conversation. */
export async function fireMessageFlowTriggers(deps: ConversationFlowTriggerDeps, shop: string, event: OscarWebhookEventOf<"message.created">, routed: RoutingOutcome): Promise<void> {
  if (routed.urgent.length === 0 && !routed.vip) return;
  const used = await deps.triggersInUse(shop);
  const urgent = routed.urgent.length > 0 && used.has("urgent");
  const vipReason = used.has("vip") ? routed.vip : null;
  if (!urgent && !vipReason) return;
  const { conversation_id: conversationId, contact, message } = event.data;
  const { id: customerId, customer } = await customerFor(deps, shop, conversationId, contact);
  const orderId = orderNamedIn(customer, message.content);
  if (urgent) await fireFlowTrigger(deps, shop, "urgent", { conversationId, customerId, orderId, reason: `Urgent words: ${routed.urgent.join(", ")}` });
  if (vipReason) await fireFlowTrigger(deps, shop, "vip", { conversationId, customerId, orderId, reason: vipReason });
}

/**
 * bot.escalated → "Bot handed a conversation to the team", with the bot's reason. The event's contact
 * has only a name and email, so the signed identity is read from Oscar's contact, as the hand-off does.
 */
export async function fireHandOffFlowTrigger(deps: ConversationFlowTriggerDeps, shop: string, event: OscarWebhookEventOf<"bot.escalated">): Promise<void> {
  if (!(await deps.triggersInUse(shop)).has("handedOff")) return;
  const { conversation_id: conversationId, contact, reason, last_message: lastMessage } = event.data;
  const { id: customerId, customer } = await customerFor(deps, shop, conversationId, contact, { askOscar: true });
  await fireFlowTrigger(deps, shop, "handedOff", { conversationId, customerId, orderId: orderNamedIn(customer, lastMessage), reason: reason?.trim() || "No reason given" });
}

/**
 * conversation.resolved → "Conversation resolved". Oscar's event carries no rating (CSAT exists only as
 * the report summary's average, shared/oscar-api.md), so the trigger carries none.
 */
export async function fireResolvedFlowTrigger(deps: ConversationFlowTriggerDeps, shop: string, event: OscarWebhookEventOf<"conversation.resolved">): Promise<void> {
  // Every resolution, the signed-in customer's with them and a guest's without: only for a shop whose
  // workflows use it. (Sent for every resolution to every shop, the reliability suite's 60,000
  // resolutions a minute queued behind Shopify's Admin budget and did not drain in 10 minutes.)
  if (!(await deps.triggersInUse(shop)).has("resolved")) return;
  const conversationId = event.data.conversation_id;
  const record = await findConversationRecord(deps.db, shop, conversationId);
  const byTeam = Boolean(record?.assignedAt || record?.botEscalatedAt);
  await fireFlowTrigger(deps, shop, "resolved", { conversationId, customerId: record?.shopifyCustomerId ?? null, orderId: null, reason: byTeam ? "Resolved by the team" : "Resolved by the bot" });
}
