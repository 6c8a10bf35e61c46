import { addDays, addDaysInZone, localDateOf, type LocalDate, type Period } from "./analytics-periods";

/**
 * The app's own figures for a period, computed from rows the database returned: pure, so each one
 * can be checked by hand. Money is summed in fixed point (ten-thousandths), never in floats.
 */

export type CustomerConversation = { shopifyCustomerId: string; createdAt: Date };
/** An order as it stands now: `totalPrice` is after refunds and edits; a cancelled order has `cancelledAt`. */
export type PlacedOrder = { orderId: string; shopifyCustomerId: string | null; totalPrice: string; currencyCode: string; placedAt: Date; cancelledAt: Date | null };

const SCALE = 10_000n;

/** "123.45" → 1234500n (ten-thousandths); Shopify's amounts have at most 3 decimals. */
export function toFixedPoint(amount: string): bigint {
  const match = /^(-?)(\d+)(?:\.(\d{1,4}))?$/.exec(amount.trim());
  if (!match) throw new RangeError(`Not an amount: ${amount}`);
  const [, sign, whole, fraction = ""] = match;
  const value = BigInt(whole) * SCALE + BigInt(fraction.padEnd(4, "0"));
  return sign ? -value : value;
}

/** 1234500n → "123.45" (at least two decimals, more only when they matter). */
export function fromFixedPoint(value: bigint): string {
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const fraction = String(abs % SCALE).padStart(4, "0").replace(/0{1,2}$/, "");
  return `${negative ? "-" : ""}${abs / SCALE}.${fraction}`;
}

export type AssistedRevenue = {
  /** Sum of assisted orders in the shop's currency, net of refunds, as a decimal string. */
  amount: string;
  orders: number;
  /** Assisted orders cancelled since: neither counted nor summed. */
  cancelledOrders: number;
  /** Assisted orders in another currency (placed before the shop changed currency): counted apart, not summed. */
  otherCurrencyOrders: number;
  /** Assisted revenue per local day of the period, in the shop's currency. */
  byDay: Array<{ date: LocalDate; amount: string }>;
};

/**
 * Orders placed in the period by a customer who had a conversation at most `windowDays` before: from
 * the conversation's start up to the same wall-clock time `windowDays` days later in the shop's
 * timezone, both ends included. Each order counts once, however many conversations preceded it,
 * with what it is worth now: refunds are subtracted, and a cancelled order is left out (and counted
 * apart, so the merchant can see why a figure went down).
 */
export function assistedRevenue({ orders, conversations, period, windowDays, timeZone, currencyCode }: {
  orders: PlacedOrder[];
  conversations: CustomerConversation[];
  period: Period;
  windowDays: number;
  timeZone: string;
  currencyCode: string;
}): AssistedRevenue {
  const byCustomer = new Map<string, Date[]>();
  for (const c of conversations) byCustomer.set(c.shopifyCustomerId, [...(byCustomer.get(c.shopifyCustomerId) ?? []), c.createdAt]);
  const assisted = (order: PlacedOrder) =>
    order.shopifyCustomerId !== null &&
    (byCustomer.get(order.shopifyCustomerId) ?? []).some(
      (startedAt) => startedAt.getTime() <= order.placedAt.getTime() && order.placedAt.getTime() <= addDaysInZone(startedAt, windowDays, timeZone).getTime(),
    );

  const days = new Map<LocalDate, bigint>(Array.from({ length: period.days }, (_, i) => [addDays(period.from, i), 0n]));

  let total = 0n;
  let count = 0;
  let otherCurrencyOrders = 0;
  let cancelledOrders = 0;
  for (const order of orders) {
    if (order.placedAt < period.start || order.placedAt >= period.end || !assisted(order)) continue;
    if (order.cancelledAt) {
      cancelledOrders++;
      continue;
    }
    if (order.currencyCode !== currencyCode) {
      otherCurrencyOrders++;
      continue;
    }
    const value = toFixedPoint(order.totalPrice);
    total += value;
    count++;
    const date = localDateOf(order.placedAt, timeZone);
    days.set(date, (days.get(date) ?? 0n) + value);
  }
  return {
    amount: fromFixedPoint(total),
    orders: count,
    cancelledOrders,
    otherCurrencyOrders,
    byDay: [...days].map(([date, value]) => ({ date, amount: fromFixedPoint(value) })),
  };
}

/** The change from the previous period as a fraction (0.25 = +25 %), or null when there was nothing to compare with. */
export function changeFrom(previous: number, current: number): number | null {
  if (previous === 0) return null;
  return (current - previous) / previous;
}
