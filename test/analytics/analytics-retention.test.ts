import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../app/logger.server";
import { purgeExpiredAnalytics } from "../../app/services/analytics-retention.server";
import { freshDatabase } from "../harness/database";

/** The nightly purge on a real database file: each shop's rows older than its retention go, the rest stay. */
describe("analytics retention", () => {
  let db: PrismaClient;
  const now = new Date("2026-11-24T03:30:00Z");
  const daysAgo = (days: number, extraMs = 0) => new Date(now.getTime() - days * 86_400_000 + extraMs);

  beforeAll(async () => {
    db = (await freshDatabase("analytics-retention")).connect();
    await db.shop.createMany({ data: [{ domain: "keeps-90.myshopify.com" }, { domain: "default.myshopify.com" }] });
    await db.analyticsSettings.create({ data: { shop: "keeps-90.myshopify.com", retentionDays: 90, assistedWindowDays: 7 } });
    for (const shop of ["keeps-90.myshopify.com", "default.myshopify.com"]) {
      await db.shopOrder.createMany({
        data: [
          { shop, orderId: "old", totalPrice: "1.00", currencyCode: "USD", placedAt: daysAgo(90, -1) }, // a millisecond past 90 days
          { shop, orderId: "edge", totalPrice: "1.00", currencyCode: "USD", placedAt: daysAgo(90) },
          { shop, orderId: "year", totalPrice: "1.00", currencyCode: "USD", placedAt: daysAgo(365, -1) },
        ],
      });
      await db.orderStatusAnswer.createMany({ data: [{ shop, messageKey: "old", answeredAt: daysAgo(91) }, { shop, messageKey: "new", answeredAt: daysAgo(1) }] });
      await db.weeklyReportDelivery.createMany({ data: [{ shop, weekStart: daysAgo(91) }, { shop, weekStart: daysAgo(7) }] });
      await db.conversationRecord.createMany({
        data: [
          { shop, conversationId: "stale", createdAt: daysAgo(98, -1) }, // past 90 days plus the 7-day window
          { shop, conversationId: "window", createdAt: daysAgo(96) }, // an order on the first kept day may follow it
          { shop, conversationId: "reopened", createdAt: daysAgo(200), resolvedAt: daysAgo(2) }, // still in use
        ],
      });
    }
  });

  afterAll(() => db?.$disconnect());

  it("deletes each shop's rows past its retention (default 365 days) and keeps the rest", async () => {
    const totals = await purgeExpiredAnalytics({ db, logger: createLogger({ level: "silent" }), now });
    const left = async (shop: string) => ({
      orders: (await db.shopOrder.findMany({ where: { shop }, orderBy: { orderId: "asc" } })).map((o) => o.orderId),
      answers: (await db.orderStatusAnswer.findMany({ where: { shop }, orderBy: { messageKey: "asc" } })).map((a) => a.messageKey),
      reports: (await db.weeklyReportDelivery.count({ where: { shop } })),
      conversations: (await db.conversationRecord.findMany({ where: { shop }, orderBy: { conversationId: "asc" } })).map((c) => c.conversationId),
    });
    expect(await left("keeps-90.myshopify.com")).toEqual({ orders: ["edge"], answers: ["new"], reports: 1, conversations: ["reopened", "window"] });
    expect(await left("default.myshopify.com")).toEqual({ orders: ["edge", "old"], answers: ["new", "old"], reports: 2, conversations: ["reopened", "stale", "window"] });
    expect(totals).toEqual({ orders: 3, orderStatusAnswers: 1, weeklyReports: 1, conversations: 1 });
  });
});
