import type { OrderAction, PrismaClient } from "@prisma/client";
import { z } from "zod";

/**
 * Agent order commands: what each shop allows (OrderCommandSettings) and what agents did with them
 * (OrderAction, the audit trail). Scoped by shop. Everything is off until the merchant turns it on.
 */

export const ORDER_COMMAND_KINDS = ["cancel", "refund", "address", "discount", "resend-tracking"] as const;
export type OrderCommandKind = (typeof ORDER_COMMAND_KINDS)[number];

export type OrderCommandSettings = {
  enabledCommands: OrderCommandKind[];
  /** Oscar agent ids allowed to use commands; empty means nobody. */
  allowedAgentIds: string[];
  /** Largest refund, a decimal string in the shop's currency; null means no refunds at all. */
  maxRefundAmount: string | null;
  /** Largest discount in percent; null means no discounts at all. */
  maxDiscountPercent: number | null;
  /** Whether Shopify notifies the customer of a cancellation or refund. */
  notifyCustomer: boolean;
};

export const DEFAULT_ORDER_COMMAND_SETTINGS: OrderCommandSettings = {
  enabledCommands: [],
  allowedAgentIds: [],
  maxRefundAmount: null,
  maxDiscountPercent: null,
  notifyCustomer: true,
};

const storedKinds = z.array(z.enum(ORDER_COMMAND_KINDS));
const storedAgentIds = z.array(z.string().min(1));

/** A stored list the app cannot read allows nothing, rather than something the merchant did not choose. */
function readList<T>(schema: z.ZodType<T[]>, json: string): T[] {
  try {
    return schema.parse(JSON.parse(json));
  } catch {
    return [];
  }
}

export async function loadOrderCommandSettings(db: PrismaClient, shop: string): Promise<OrderCommandSettings> {
  const row = await db.orderCommandSettings.findUnique({ where: { shop } });
  if (!row) return DEFAULT_ORDER_COMMAND_SETTINGS;
  return {
    enabledCommands: readList(storedKinds, row.enabledCommands),
    allowedAgentIds: readList(storedAgentIds, row.allowedAgentIds),
    maxRefundAmount: row.maxRefundAmount,
    maxDiscountPercent: row.maxDiscountPercent,
    notifyCustomer: row.notifyCustomer,
  };
}

export async function saveOrderCommandSettings(db: PrismaClient, shop: string, settings: OrderCommandSettings): Promise<void> {
  const data = {
    enabledCommands: JSON.stringify(settings.enabledCommands),
    allowedAgentIds: JSON.stringify(settings.allowedAgentIds),
    maxRefundAmount: settings.maxRefundAmount,
    maxDiscountPercent: settings.maxDiscountPercent,
    notifyCustomer: settings.notifyCustomer,
  };
  await db.orderCommandSettings.upsert({ where: { shop }, create: { shop, ...data }, update: data });
}

export const ORDER_ACTION_STATUSES = ["previewed", "refused", "confirmed", "done", "failed", "expired"] as const;
export type OrderActionStatus = (typeof ORDER_ACTION_STATUSES)[number];

export type { OrderAction };

/** The audit page: newest first, a page at a time (cursor = the last row's id). */
export function listOrderActions(db: PrismaClient, shop: string, { take = 50, cursor }: { take?: number; cursor?: string } = {}): Promise<OrderAction[]> {
  return db.orderAction.findMany({
    where: { shop },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take,
    ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
  });
}

/** A customer's actions, for their data export (customers/data_request). */
export function orderActionsOfCustomer(db: PrismaClient, shop: string, shopifyCustomerId: string): Promise<OrderAction[]> {
  return db.orderAction.findMany({ where: { shop, shopifyCustomerId }, orderBy: { createdAt: "asc" } });
}

/** customers/redact: the customer's actions go with the rest of their data. */
export async function eraseOrderActionsOfCustomer(db: PrismaClient, shop: string, shopifyCustomerId: string): Promise<number> {
  return (await db.orderAction.deleteMany({ where: { shop, shopifyCustomerId } })).count;
}

/**
 * The privacy webhooks' view: a customer's actions are those naming their Shopify id, and those in
 * their conversations (a command in a conversation whose customer was not verified names no id).
 */
export function orderActionsOfCustomerOrConversations(db: PrismaClient, shop: string, shopifyCustomerId: string, conversationIds: string[]): Promise<OrderAction[]> {
  return db.orderAction.findMany({ where: { shop, OR: [{ shopifyCustomerId }, { conversationId: { in: conversationIds } }] }, orderBy: { createdAt: "asc" } });
}

export async function eraseOrderActionsOfConversations(db: PrismaClient, shop: string, conversationIds: string[]): Promise<number> {
  if (conversationIds.length === 0) return 0;
  return (await db.orderAction.deleteMany({ where: { shop, conversationId: { in: conversationIds } } })).count;
}

/** Whether a row id (a page cursor from the browser) is this shop's; another shop's id pages nothing. */
export async function isOrderActionOfShop(db: PrismaClient, shop: string, id: string): Promise<boolean> {
  return (await db.orderAction.count({ where: { shop, id } })) === 1;
}
