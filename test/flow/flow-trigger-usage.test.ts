import { createHmac } from "node:crypto";
import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordFlowTriggerUsage } from "../../app/models/flow-trigger-usage.server";
import { receiveFlowTriggerLifecycle } from "../../app/services/flow-trigger-lifecycle.server";
import { flowTriggerNamed, flowTriggersInUse } from "../../app/services/flow-triggers.server";
import { freshDatabase } from "../harness/database";
import { captureLogs } from "../harness/log-capture";

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

  it("tells the workers after each recorded change, not after a stale one, and answers Flow 200 even when they cannot be told", async () => {
    const shop = "announce.myshopify.com";
    const appSecret = "flow-lifecycle-test-secret";
    await db.shop.create({ data: { domain: shop } });
    const announced: string[] = [];
    let redisDown = false;
    const { logger, text } = captureLogs();
    const deps = {
      db,
      appSecret,
      logger,
      announceUsageChanged: async (changed: string) => {
        if (redisDown) throw new Error("Connection is closed.");
        announced.push(changed);
      },
    };
    const callback = (inUse: boolean, reportedAt: Date) => {
      const body = JSON.stringify({ flow_trigger_definition_id: "conversation-resolved", has_enabled_flow: inUse, shop_id: 1, shopify_domain: shop, timestamp: reportedAt.toISOString() });
      const signature = createHmac("sha256", appSecret).update(body).digest("base64");
      return receiveFlowTriggerLifecycle(deps, new Request("https://app.example/flow/trigger-lifecycle", { method: "POST", headers: { "x-shopify-hmac-sha256": signature }, body }));
    };

    expect((await callback(true, at(20))).status).toBe(200);
    expect((await callback(false, at(19))).status).toBe(200); // older: changes nothing, tells nobody
    expect(announced).toEqual([shop]);

    redisDown = true;
    expect((await callback(false, at(21))).status).toBe(200);
    // Recorded all the same (the workers' cache reads it again within its 30 s), and the failure is logged.
    expect([...(await flowTriggersInUse(db, shop))]).toEqual([]);
    expect(text()).toContain("could not tell the workers that Flow trigger usage changed");
    expect(announced).toEqual([shop]);
  });
});
