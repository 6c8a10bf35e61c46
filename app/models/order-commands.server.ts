import type { OrderAction, PrismaClient } from "@prisma/client";
import { z } from "zod";
import { isUniqueConstraintViolation } from "../db/client.server";

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

// ---------------------------------------------------------------------------------------------
// The engine's writes (app/services/order-commands.server.ts). A row is created once per command
// note (unique sourceMessageId) and moves previewed → confirmed → done | failed, or previewed → expired.

export type NewOrderAction = {
  conversationId: string;
  sourceMessageId: string;
  agentId: string;
  command: OrderCommandKind;
  /** The customer's GID ("gid://shopify/Customer/123"): export and erasure look rows up by it. */
  shopifyCustomerId: string | null;
  orderId: string | null;
  orderName: string | null;
  codeHash: string | null;
  plan: string | null;
  status: "previewed" | "refused";
  outcome: string | null;
  expiresAt: Date | null;
};

/** The command's row; null when this note already has one (a redelivery, or another worker got there first). */
export async function recordOrderCommand(db: PrismaClient, shop: string, action: NewOrderAction): Promise<OrderAction | null> {
  try {
    return await db.orderAction.create({ data: { shop, ...action } });
  } catch (error) {
    if (isUniqueConstraintViolation(error)) return null;
    throw error;
  }
}

export function orderActionForNote(db: PrismaClient, shop: string, sourceMessageId: string): Promise<OrderAction | null> {
  return db.orderAction.findUnique({ where: { shop_sourceMessageId: { shop, sourceMessageId } } });
}

export function orderActionForCode(db: PrismaClient, shop: string, codeHash: string): Promise<OrderAction | null> {
  return db.orderAction.findUnique({ where: { shop_codeHash: { shop, codeHash } } });
}

/**
 * previewed → confirmed, only while the code is live and only once: of any number of confirmations
 * (redeliveries, workers), exactly one gets `true`, in one conditional UPDATE.
 */
export async function confirmOrderAction(db: PrismaClient, shop: string, id: string, by: { agentId: string; messageId: string; at: Date }): Promise<boolean> {
  const { count } = await db.orderAction.updateMany({
    where: { id, shop, status: "previewed", expiresAt: { gt: by.at } },
    data: { status: "confirmed", confirmedAt: by.at, confirmedBy: by.agentId, confirmMessageId: by.messageId },
  });
  return count === 1;
}

/** A preview whose time ran out is marked so on the audit page (never from any other status). */
export async function expireOrderAction(db: PrismaClient, shop: string, id: string, at: Date): Promise<void> {
  await db.orderAction.updateMany({ where: { id, shop, status: "previewed", expiresAt: { lte: at } }, data: { status: "expired" } });
}

export async function finishOrderAction(db: PrismaClient, shop: string, id: string, result: { status: "done" | "failed"; outcome: string; at: Date }): Promise<void> {
  await db.orderAction.updateMany({ where: { id, shop, status: "confirmed" }, data: { status: result.status, outcome: result.outcome, completedAt: result.at } });
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
