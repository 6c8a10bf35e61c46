import { createHash } from "node:crypto";
import type { PrismaClient } from "@prisma/client";
import type { OscarSimulator } from "../../sim/oscar/server";
import type { StoreFixture } from "../../sim/shopify-admin/fixtures";
import { createRandom } from "../../sim/shopify-admin/random";

/**
 * Nine weeks of past support for the sandbox shop, so the analytics page has something to show
 * for the last 7 and 30 days and the periods before them. Oscar's side (conversations, first
 * replies, resolutions, CSAT) is played into the simulator before the shop connects, so no webhook
 * fires for it; the app's side (what it recorded per conversation, the orders that followed) is
 * written as the app would have written it. Deterministic: the same history every run.
 */

export const HISTORY_DAYS = 63;

type PastConversation = {
  conversationId: string;
  customerId: string | null;
  at: number;
  urgent: boolean;
  vip: boolean;
  escalated: boolean;
  resolvedAt: number | null;
  orderStatusAnswered: boolean;
};

export type SupportHistory = { conversations: PastConversation[]; workspaceId: string };

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const numericId = (gid: string) => gid.slice(gid.lastIndexOf("/") + 1);

/** Oscar's side of the history: run before the shop registers its webhook. */
export function playOscarHistory({ oscar, apiKey, store, now = Date.now() }: { oscar: OscarSimulator; apiKey: string; store: StoreFixture; now?: number }): SupportHistory {
  const random = createRandom(20261201);
  const { workspaceId } = oscar.accountFor(apiKey);
  const [vip] = store.customers;
  const conversations: PastConversation[] = [];
  for (let daysAgo = HISTORY_DAYS; daysAgo >= 1; daysAgo--) {
    // A little busier in the recent weeks, as a growing store would be.
    const count = random.int(2, 5) + (daysAgo <= 30 ? random.int(0, 2) : 0);
    for (let i = 0; i < count; i++) {
      const at = now - daysAgo * DAY + random.int(8, 20) * HOUR + random.int(0, 59) * 60_000;
      const known = random.next() < 0.8;
      const customer = known ? (random.next() < 0.12 ? vip : random.pick(store.customers)) : null;
      const email = customer?.email ?? `visitor${daysAgo}-${i}@example.net`;
      const { conversationId } = oscar.scenario.shopperOpensConversation({ workspaceId, email, name: customer?.firstName ?? "Visitor", message: "Hello", at });
      oscar.scenario.agentReplies(conversationId, "Hi! Let me look into that.", at + random.int(1, 12) * 60_000);
      const escalated = random.next() < 0.15;
      if (escalated) oscar.scenario.botEscalates(conversationId, "shopper asked for a human", at + 2 * 60_000);
      const resolvedAt = random.next() < 0.9 ? at + random.int(5, 180) * 60_000 : null;
      if (resolvedAt) oscar.scenario.agentResolves(conversationId, { at: resolvedAt, csatScore: random.pick([3, 4, 4, 5, 5, 5]) });
      conversations.push({
        conversationId,
        customerId: customer ? numericId(customer.id) : null,
        at,
        urgent: random.next() < 0.1,
        vip: customer === vip,
        escalated,
        resolvedAt,
        orderStatusAnswered: customer !== null && random.next() < 0.2,
      });
    }
  }
  return { conversations, workspaceId };
}

/** The app's side of the same history: conversation records, order-status answers, orders placed. */
export async function writeAppHistory({ db, shop, store, history, now = Date.now() }: { db: PrismaClient; shop: string; store: StoreFixture; history: SupportHistory; now?: number }) {
  const random = createRandom(20261202);
  const currencyCode = store.shop.currencyCode;
  const date = (ms: number | null) => (ms === null ? null : new Date(ms));
  await db.conversationRecord.createMany({
    data: history.conversations.map((c) => ({
      shop,
      conversationId: c.conversationId,
      shopifyCustomerId: c.customerId,
      createdAt: new Date(c.at),
      enrichedAt: new Date(c.at + 2_000),
      enrichmentOutcome: c.customerId ? "customer" : "no-customer",
      urgentAt: c.urgent ? new Date(c.at + 3_000) : null,
      vipAt: c.vip ? new Date(c.at + 3_000) : null,
      botEscalatedAt: c.escalated ? new Date(c.at + 2 * 60_000) : null,
      resolvedAt: date(c.resolvedAt),
    })),
  });
  await db.orderStatusAnswer.createMany({
    data: history.conversations
      .filter((c) => c.orderStatusAnswered)
      .map((c) => ({ shop, messageKey: createHash("sha256").update(`history ${c.conversationId}`).digest("hex").slice(0, 32), answeredAt: new Date(c.at + 60_000) })),
  });
  // About a third of the customers who chatted ordered within a week; others order without chatting.
  const orders: { placedAt: number; customerId: string | null }[] = [];
  for (const c of history.conversations) {
    if (c.customerId && random.next() < 0.35) orders.push({ placedAt: c.at + random.int(1, 6 * 24) * HOUR, customerId: c.customerId });
  }
  for (let daysAgo = HISTORY_DAYS; daysAgo >= 1; daysAgo--) {
    for (let i = random.int(1, 4); i > 0; i--) orders.push({ placedAt: now - daysAgo * DAY + random.int(0, 23) * HOUR, customerId: null });
  }
  const placed = orders.filter((o) => o.placedAt < now);
  await db.shopOrder.createMany({
    data: placed.map((o, i) => ({
      shop,
      orderId: String(5_800_000_000 + i),
      shopifyCustomerId: o.customerId,
      totalPrice: `${random.int(24, 260)}.${String(random.int(0, 99)).padStart(2, "0")}`,
      currencyCode,
      placedAt: new Date(o.placedAt),
    })),
  });
  return { conversations: history.conversations.length, orders: placed.length, assistedCandidates: placed.filter((o) => o.customerId).length };
}
