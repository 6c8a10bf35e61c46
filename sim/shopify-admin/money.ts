// Shopify's money shapes: MoneyV2 ({ amount, currencyCode }) and MoneyBag (shop and presentment money).

export type MoneyV2 = { amount: string; currencyCode: string };
export type MoneyBag = { shopMoney: MoneyV2; presentmentMoney: MoneyV2 };

export function moneyV2(amount: number, currencyCode: string): MoneyV2 {
  return { amount: amount.toFixed(2), currencyCode };
}

/** Fixture shoppers pay in the shop's currency, so both sides of the bag agree. */
export function moneyBag(amount: number, currencyCode: string): MoneyBag {
  return { shopMoney: moneyV2(amount, currencyCode), presentmentMoney: moneyV2(amount, currencyCode) };
}

/** Sums in cents so totals never pick up float dust (19.99 * 3 must be "59.97"). */
export function sumAmounts(amounts: readonly number[]): number {
  return amounts.reduce((cents, amount) => cents + Math.round(amount * 100), 0) / 100;
}
