import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordFlowTriggerUsage } from "../../app/models/flow-trigger-usage.server";
import { flowTriggerNamed, flowTriggersInUse } from "../../app/services/flow-triggers.server";
import { freshDatabase } from "../harness/database";

/** What Flow's lifecycle callbacks leave recorded, on a real database, and which triggers the worker then sends. */
describe("which Flow triggers a shop's workflows use", () => {
  let db: PrismaClient;
  const at = (minute: number) => new Date(Date.UTC(2026, 11, 6, 12, minute));

  beforeAll(async () => {
    db = (await freshDatabase("flow-trigger-usage")).connect();
  });
  afterAll(() => db.$disconnect());

  it("keeps the newest report whatever order Flow's callbacks arrive in", async () => {
    const shop = "order.myshopify.com";
    expect(await recordFlowTriggerUsage(db, { shop, trigger: "urgent-conversation", inUse: true, reportedAt: at(10) })).toBe("recorded");
    expect(await recordFlowTriggerUsage(db, { shop, trigger: "urgent-conversation", inUse: false, reportedAt: at(5) })).toBe("stale");
    expect(await recordFlowTriggerUsage(db, { shop, trigger: "urgent-conversation", inUse: true, reportedAt: at(10) })).toBe("stale");
    expect([...(await flowTriggersInUse(db, shop))]).toEqual(["urgent"]);
    expect(await recordFlowTriggerUsage(db, { shop, trigger: "urgent-conversation", inUse: false, reportedAt: at(11) })).toBe("recorded");
    expect([...(await flowTriggersInUse(db, shop))]).toEqual([]);
    // Another shop's workflows are its own.
    expect([...(await flowTriggersInUse(db, "other.myshopify.com"))]).toEqual([]);
  });

  it("reads a trigger by its handle or its name, and sends every trigger while one it cannot read is in use", async () => {
    expect(flowTriggerNamed("conversation-resolved")).toBe("resolved");
    expect(flowTriggerNamed("VIP customer is chatting")).toBe("vip");
    expect(flowTriggerNamed("Add row to spreadsheet")).toBeNull();
    const shop = "unknown-id.myshopify.com";
    await recordFlowTriggerUsage(db, { shop, trigger: "Bot handed a conversation to the team", inUse: true, reportedAt: at(1) });
    expect([...(await flowTriggersInUse(db, shop))]).toEqual(["handedOff"]);
    await recordFlowTriggerUsage(db, { shop, trigger: "gid://shopify/FlowTriggerDefinition/98765", inUse: true, reportedAt: at(2) });
    expect([...(await flowTriggersInUse(db, shop))].sort()).toEqual(["handedOff", "resolved", "urgent", "vip"]);
    await recordFlowTriggerUsage(db, { shop, trigger: "gid://shopify/FlowTriggerDefinition/98765", inUse: false, reportedAt: at(3) });
    expect([...(await flowTriggersInUse(db, shop))]).toEqual(["handedOff"]);
  });
});
