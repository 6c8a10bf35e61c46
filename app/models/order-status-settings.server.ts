import type { PrismaClient } from "@prisma/client";
import { z } from "zod";

/** What the chat may tell shoppers about their own orders ("where is my order?"). Scoped by shop. */

export const ORDER_DATA_KINDS = ["status", "tracking", "items", "total", "delivery_address"] as const;
export type OrderDataKind = (typeof ORDER_DATA_KINDS)[number];

export type OrderStatusSettings = { enabled: boolean; sharedFields: OrderDataKind[] };

export const DEFAULT_ORDER_STATUS_SETTINGS: OrderStatusSettings = { enabled: false, sharedFields: ["status", "tracking"] };

const storedKinds = z.array(z.enum(ORDER_DATA_KINDS));

export async function loadOrderStatusSettings(db: PrismaClient, shop: string): Promise<OrderStatusSettings> {
  const row = await db.orderStatusSettings.findUnique({ where: { shop } });
  if (!row) return DEFAULT_ORDER_STATUS_SETTINGS;
  let sharedFields: OrderDataKind[];
  try {
    sharedFields = storedKinds.parse(JSON.parse(row.sharedFields));
  } catch {
    // A list the app cannot read shares nothing rather than something the merchant did not choose.
    sharedFields = [];
  }
  return { enabled: row.enabled, sharedFields };
}

export async function saveOrderStatusSettings(db: PrismaClient, shop: string, settings: OrderStatusSettings): Promise<void> {
  const data = { enabled: settings.enabled, sharedFields: JSON.stringify(settings.sharedFields) };
  await db.orderStatusSettings.upsert({ where: { shop }, create: { shop, ...data }, update: data });
}
