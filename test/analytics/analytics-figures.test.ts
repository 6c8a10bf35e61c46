import { describe, expect, it } from "vitest";
import { assistedRevenue, fromFixedPoint, toFixedPoint, type PlacedOrder } from "../../app/services/analytics-figures";
import { periodOfDays } from "../../app/services/analytics-periods";

const NY = "America/New_York";
const order = (orderId: string, shopifyCustomerId: string | null, placedAt: string, totalPrice: string, currencyCode = "USD", cancelledAt: string | null = null): PlacedOrder => ({
  orderId,
  shopifyCustomerId,
  placedAt: new Date(placedAt),
  totalPrice,
  currencyCode,
  cancelledAt: cancelledAt ? new Date(cancelledAt) : null,
});

describe("assisted revenue", () => {
  // Mar 3–9 2026 in New York: clocks go forward on Mar 8.
  const period = periodOfDays("2026-03-03", "2026-03-09", NY);
  const conversations = [
    { shopifyCustomerId: "1", createdAt: new Date("2026-02-26T15:00:00Z") }, // Feb 26 10:00 EST, before the period; window ends Mar 5 10:00 EST
    { shopifyCustomerId: "2", createdAt: new Date("2026-03-05T15:00:00Z") }, // Mar 5 10:00 EST; window ends Mar 12 10:00 EDT (14:00Z)
    { shopifyCustomerId: "3", createdAt: new Date("2026-03-08T06:30:00Z") }, // Mar 8 01:30 EST, just before the change
  ];
  const orders = [
    order("o1", "1", "2026-03-05T15:00:00Z", "100.00"), // the window's last instant: counts
    order("o2", "1", "2026-03-05T15:00:01Z", "50.00"), // one second later: does not
    order("o3", "2", "2026-03-09T03:59:59Z", "19.99"), // Mar 8 23:59:59 EDT: counts, on Mar 8
    order("o4", "2", "2026-03-10T04:00:00Z", "70.00"), // Mar 10 00:00 EDT: after the period
    order("o5", "3", "2026-03-03T05:00:00Z", "40.00"), // the period's first instant, but before customer 3 chatted
    order("o6", null, "2026-03-06T12:00:00Z", "500.00"), // a guest: no conversation can be theirs
    order("o7", "2", "2026-03-06T12:00:00Z", "30.00", "EUR"), // assisted, in another currency
    order("o8", "3", "2026-03-09T12:00:00Z", "0.10"),
    order("o9", "3", "2026-03-09T13:00:00Z", "0.20"), // 0.10 + 0.20 is exactly 0.30
    order("o10", "2", "2026-03-07T12:00:00Z", "45.00", "USD", "2026-03-07T18:00:00Z"), // assisted, then cancelled: left out, counted apart
    order("o11", "2", "2026-03-07T13:00:00Z", "20.00"), // 80.00 paid, 60.00 refunded: Shopify's current total is 20.00
  ];

  it("counts orders from a conversation's start to the same wall-clock time N days later, once each, in the shop's currency, net of refunds and without cancellations", () => {
    const result = assistedRevenue({ orders, conversations, period, windowDays: 7, timeZone: NY, currencyCode: "USD" });
    expect(result).toEqual({
      amount: "140.29",
      orders: 5,
      cancelledOrders: 1,
      otherCurrencyOrders: 1,
      byDay: [
        { date: "2026-03-03", amount: "0.00" },
        { date: "2026-03-04", amount: "0.00" },
        { date: "2026-03-05", amount: "100.00" },
        { date: "2026-03-06", amount: "0.00" },
        { date: "2026-03-07", amount: "20.00" },
        { date: "2026-03-08", amount: "19.99" },
        { date: "2026-03-09", amount: "0.30" },
      ],
    });
  });

  it("crosses the clock change by wall-clock days: an order at 10:00 EDT seven days after a 10:00 EST chat counts, 10:00:01 does not", () => {
    const chat = [{ shopifyCustomerId: "2", createdAt: new Date("2026-03-05T15:00:00Z") }];
    const week = periodOfDays("2026-03-10", "2026-03-16", NY);
    const edge = assistedRevenue({ orders: [order("a", "2", "2026-03-12T14:00:00Z", "10.00")], conversations: chat, period: week, windowDays: 7, timeZone: NY, currencyCode: "USD" });
    const after = assistedRevenue({ orders: [order("b", "2", "2026-03-12T14:00:01Z", "10.00")], conversations: chat, period: week, windowDays: 7, timeZone: NY, currencyCode: "USD" });
    expect([edge.amount, after.amount]).toEqual(["10.00", "0.00"]);
  });

  it("follows the configured window: one day instead of seven", () => {
    const result = assistedRevenue({ orders, conversations, period, windowDays: 1, timeZone: NY, currencyCode: "USD" });
    // Customer 2's window now ends Mar 6 10:00 EST (15:00Z): only the EUR order (12:00Z) is inside; customer 3's end Mar 9 01:30 EDT.
    expect([result.amount, result.orders, result.otherCurrencyOrders]).toEqual(["0.00", 0, 1]);
  });

  it("sums money in fixed point", () => {
    expect(fromFixedPoint(toFixedPoint("0.10") + toFixedPoint("0.20"))).toBe("0.30");
    expect(fromFixedPoint(toFixedPoint("1234.5"))).toBe("1234.50");
    expect(fromFixedPoint(toFixedPoint("0.125"))).toBe("0.125");
    expect(() => toFixedPoint("12,50")).toThrow(RangeError);
  });
});
