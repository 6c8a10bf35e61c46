import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../app/logger.server";
import { fireFlowTrigger, FlowTriggerBusyError } from "../../app/services/flow-triggers.server";
import type { AdminGraphql } from "../../app/shopify/admin-graphql.server";
import { freshDatabase } from "../harness/database";

/**
 * The claim that makes a trigger go out once, on a real database: a second sender waits for a live
 * claim, takes over one whose holder died, and never sends one already sent; a failed send hands the
 * claim back at once.
 */
describe("one Flow trigger per conversation and kind", () => {
  let db: PrismaClient;
  const shop = "claims.myshopify.com";
  const facts = { conversationId: "conv_1", customerId: null, orderId: null, reason: "Urgent words: refund" };
  const logger = createLogger({ level: "silent" });
  let sent: unknown[] = [];
  let failNext = false;
  // Shopify's answer to flowTriggerReceive, or a 503 when asked to fail.
  const adminGraphql = async (): Promise<AdminGraphql> => async (_query, options) => {
    if (failNext) {
      failNext = false;
      return new Response(JSON.stringify({ errors: "Service Unavailable" }), { status: 503 });
    }
    sent.push(options?.variables);
    return new Response(JSON.stringify({ data: { flowTriggerReceive: { userErrors: [] } } }));
  };
  const at = (ms: number) => () => new Date(Date.UTC(2026, 11, 6, 12) + ms);
  const deps = (nowMs: number) => ({ db, adminGraphql, leaseMs: 30_000, logger, now: at(nowMs) });

  beforeAll(async () => {
    db = (await freshDatabase("flow-trigger-firing")).connect();
  });
  afterAll(() => db.$disconnect());

  it("waits for a live claim, takes over a lapsed one, and sends once", async () => {
    // A worker claimed the firing and died before sending (its row says so; nothing was sent).
    await db.flowTriggerFiring.create({ data: { shop, conversationId: "conv_1", kind: "urgent", claimedUntil: at(30_000)(), attempts: 1 } });
    await expect(fireFlowTrigger(deps(1_000), shop, "urgent", facts)).rejects.toBeInstanceOf(FlowTriggerBusyError);
    expect(sent).toEqual([]);
    // Once its lease lapsed, the retry takes the claim and sends.
    await expect(fireFlowTrigger(deps(30_001), shop, "urgent", facts)).resolves.toBe("sent");
    await expect(fireFlowTrigger(deps(90_000), shop, "urgent", facts)).resolves.toBe("already-sent");
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ handle: "urgent-conversation" });
  });

  it("gives the claim back when the send fails, so the retry sends it at once", async () => {
    sent = [];
    failNext = true;
    await expect(fireFlowTrigger(deps(0), shop, "vip", facts)).rejects.toThrow();
    expect(await db.flowTriggerFiring.findUniqueOrThrow({ where: { shop_conversationId_kind: { shop, conversationId: "conv_1", kind: "vip" } } })).toMatchObject({ sentAt: null });
    await expect(fireFlowTrigger(deps(1), shop, "vip", facts)).resolves.toBe("sent");
    expect(sent).toHaveLength(1);
  });
});
