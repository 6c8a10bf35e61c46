import type { ConversationRecord, PrismaClient } from "@prisma/client";
import { z } from "zod";
import { CUSTOMER_FOR_ADMIN_BLOCK_QUERY } from "../graphql/customer-for-admin-block";
import { ORDER_FOR_ADMIN_BLOCK_QUERY } from "../graphql/order-for-admin-block";
import type { Logger } from "../logger.server";
import { loadEscalationRules, type EscalationRules } from "../models/escalation-rules.server";
import { findConversationRecord, findCustomerConversations } from "../models/conversation-record.server";
import { OscarError } from "../oscar/errors";
import { ShopNotConnectedError, type OscarClientFactory } from "../oscar/for-shop.server";
import { oscarConversationUrl } from "../oscar/links";
import { runAdminQuery, type AdminGraphql } from "../shopify/admin-graphql.server";
import type { BlockConversation, CustomerBlockData, EscalationKind, MessageOutcome, OrderBlockData } from "./admin-blocks";

/**
 * The admin blocks on a customer's and an order's page: the app's own records of that customer's
 * conversations. Shopify's Admin API (with the shop's token, from the session token's shop) says
 * whether the customer or order exists in that shop: another shop's id is answered null, so it reads
 * exactly like an id that never existed.
 */

export type AdminBlocksDeps = { db: PrismaClient; oscarFor: OscarClientFactory; logger: Logger };

export const RECENT_CONVERSATIONS = 10;
export const ORDER_WINDOW_DAYS = 30;
const DAY_MS = 24 * 3600 * 1000;

const customerAnswer = z.object({ customer: z.object({ id: z.string() }).nullable() });
const orderAnswer = z.object({
  order: z.object({ id: z.string(), createdAt: z.string(), customer: z.object({ id: z.string() }).nullable() }).nullable(),
});

// ConversationRecord keeps Shopify's numeric customer id (as webhooks and the signed identity carry it).
const legacyId = (gid: string) => gid.split("/").pop()!;

function conversationView(record: ConversationRecord, rules: EscalationRules): BlockConversation {
  const escalations: Array<{ kind: EscalationKind; at: Date | null }> = [
    { kind: "urgent", at: record.urgentAt },
    { kind: "vip", at: record.vipAt },
    { kind: "bot", at: record.botEscalatedAt },
  ];
  return {
    conversationId: record.conversationId,
    startedAt: record.createdAt.toISOString(),
    status: record.resolvedAt ? "resolved" : "open",
    resolvedAt: record.resolvedAt?.toISOString() ?? null,
    // The app labels urgent and VIP conversations with the shop's labels; it records when, not the text then.
    labels: [record.urgentAt ? rules.urgentLabel : null, record.vipAt ? rules.vipLabel : null].filter((l): l is string => Boolean(l)),
    escalations: escalations.flatMap(({ kind, at }) => (at ? [{ kind, at: at.toISOString() }] : [])),
    assigned: Boolean(record.assignedAt),
    csat: null,
    oscarUrl: oscarConversationUrl(record.conversationId),
  };
}

async function shopCustomerExists(graphql: AdminGraphql, customerId: string): Promise<boolean> {
  const { customer } = await runAdminQuery(graphql, CUSTOMER_FOR_ADMIN_BLOCK_QUERY, customerAnswer, { id: `gid://shopify/Customer/${customerId}` });
  return customer !== null;
}

/** The customer's recent conversations, or null when the shop has no such customer. */
export async function customerBlock(deps: AdminBlocksDeps, graphql: AdminGraphql, shop: string, customerId: string): Promise<CustomerBlockData | null> {
  if (!(await shopCustomerExists(graphql, customerId))) return null;
  const [records, rules] = await Promise.all([
    findCustomerConversations(deps.db, shop, customerId, { take: RECENT_CONVERSATIONS }),
    loadEscalationRules(deps.db, shop),
  ]);
  return { conversations: records.map((r) => conversationView(r, rules)) };
}

/** The order's customer's conversations in the days before and after it was placed, or null when the shop has no such order. */
export async function orderBlock(deps: AdminBlocksDeps, graphql: AdminGraphql, shop: string, orderId: string): Promise<OrderBlockData | null> {
  const { order } = await runAdminQuery(graphql, ORDER_FOR_ADMIN_BLOCK_QUERY, orderAnswer, { id: `gid://shopify/Order/${orderId}` });
  if (!order) return null;
  const placedAt = new Date(order.createdAt);
  const empty: OrderBlockData = { order: { placedAt: placedAt.toISOString(), hasCustomer: false }, windowDays: ORDER_WINDOW_DAYS, before: [], after: [] };
  if (!order.customer) return empty;
  const customerId = legacyId(order.customer.id);
  const window = ORDER_WINDOW_DAYS * DAY_MS;
  const [before, after, rules] = await Promise.all([
    findCustomerConversations(deps.db, shop, customerId, { take: RECENT_CONVERSATIONS, from: new Date(placedAt.getTime() - window), to: placedAt }),
    findCustomerConversations(deps.db, shop, customerId, { take: RECENT_CONVERSATIONS, from: placedAt, to: new Date(placedAt.getTime() + window) }),
    loadEscalationRules(deps.db, shop),
  ]);
  return {
    ...empty,
    order: { ...empty.order, hasCustomer: true },
    before: before.map((r) => conversationView(r, rules)),
    // Oldest first after the order: the story reads forward from the purchase.
    after: after.reverse().map((r) => conversationView(r, rules)),
  };
}

/**
 * "Message this customer in chat". Oscar's contract has no way to start a conversation (no POST
 * /conversations; a shopper starts one in the widget), so the merchant can only write into one of
 * the customer's open conversations, as an outgoing message the shopper sees in the widget
 * (POST /conversations/{id}/messages). Null when the shop has no such customer or the conversation
 * is not this customer's in this shop.
 */
export async function messageCustomer(
  deps: AdminBlocksDeps,
  graphql: AdminGraphql,
  shop: string,
  customerId: string,
  message: { conversationId: string; content: string; requestId: string },
): Promise<MessageOutcome | null> {
  if (!(await shopCustomerExists(graphql, customerId))) return null;
  const record = await findConversationRecord(deps.db, shop, message.conversationId);
  if (!record || record.shopifyCustomerId !== customerId) return null;
  if (record.resolvedAt) return { sent: false, reason: "conversation-resolved" };
  try {
    const oscar = await deps.oscarFor(shop);
    // The request id makes a double click or a retried request one message (the client's idempotency marker).
    await oscar.postMessage(
      message.conversationId,
      { content: message.content, message_type: "outgoing", content_type: "text", private: false },
      { idempotencyKey: `admin-message:${message.requestId}`, checkFirst: true },
    );
    return { sent: true, conversationId: message.conversationId };
  } catch (error) {
    if (error instanceof ShopNotConnectedError) return { sent: false, reason: "not-connected" };
    if (!(error instanceof OscarError)) throw error;
    deps.logger.warn({ shop, conversationId: message.conversationId, err: { name: error.name } }, "Oscar refused or missed a merchant's message from the customer page");
    return { sent: false, reason: "oscar-unavailable" };
  }
}
