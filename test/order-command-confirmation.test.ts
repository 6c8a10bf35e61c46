// The one act per code, at the database: however many confirmations race (Oscar redeliveries, several
// workers), exactly one moves the preview to confirmed, and none does once its time has run out.
import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { confirmOrderAction, recordOrderCommand } from "../app/models/order-commands.server";
import { freshDatabase } from "./harness/database";

const SHOP = "race.myshopify.com";

describe("confirming an order command", () => {
  let db: PrismaClient;
  beforeAll(async () => {
    db = (await freshDatabase("order-command-confirmation")).connect();
  });
  afterAll(async () => {
    await db.$disconnect();
  });

  const preview = (n: number, expiresAt: Date) =>
    recordOrderCommand(db, SHOP, {
      conversationId: "conv_1",
      sourceMessageId: `msg_${n}`,
      agentId: "agent_1",
      command: "refund",
      shopifyCustomerId: "gid://shopify/Customer/1",
      orderId: "gid://shopify/Order/1",
      orderName: "#1001",
      codeHash: `hash_${n}`,
      plan: "{}",
      status: "previewed",
      outcome: null,
      expiresAt,
    });

  it("lets exactly one of twenty simultaneous confirmations act", async () => {
    const action = (await preview(1, new Date(Date.now() + 300_000)))!;
    const at = new Date();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => confirmOrderAction(db, SHOP, action.id, { agentId: "agent_1", messageId: `confirm_${i}`, at })));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await db.orderAction.findUniqueOrThrow({ where: { id: action.id } })).toMatchObject({ status: "confirmed", confirmMessageId: `confirm_${results.indexOf(true)}` });
  });

  it("lets none act after the preview expired, and records a note once whatever Oscar redelivers", async () => {
    const action = (await preview(2, new Date(Date.now() - 1)))!;
    expect(await confirmOrderAction(db, SHOP, action.id, { agentId: "agent_1", messageId: "confirm_late", at: new Date() })).toBe(false);
    expect(await preview(2, new Date(Date.now() + 300_000))).toBeNull();
    expect(await db.orderAction.count({ where: { shop: SHOP, sourceMessageId: "msg_2" } })).toBe(1);
  });
});
