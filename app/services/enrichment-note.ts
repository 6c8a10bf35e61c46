import { customerAdminUrl, orderAdminUrl } from "../shopify/admin-links";
import { CARRIER_TRACKING_HOSTS, escapeMarkdown, markdownLink, SHOPIFY_ADMIN_HOSTS } from "../text/escape";
import type { ShopifyCustomer } from "./customer-lookup.server";

/** Words a person would use for Shopify's status enums: PARTIALLY_REFUNDED → "Partially refunded". */
export function humanStatus(status: string | null): string {
  if (!status) return "—";
  const words = status.toLowerCase().replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function formatMoney(amount: string, currencyCode: string): string {
  const value = Number(amount);
  try {
    return new Intl.NumberFormat("en", { style: "currency", currency: currencyCode }).format(value);
  } catch {
    return `${value.toFixed(2)} ${currencyCode}`;
  }
}

const day = (iso: string) => iso.slice(0, 10);

// Everything from the customer record is shopper- or merchant-typed: literal text on one line, no markup.
const text = escapeMarkdown;
const adminLink = (label: string, url: string) => markdownLink(label, url, SHOPIFY_ADMIN_HOSTS);

/**
 * The private note agents read first: who the shopper is and their last orders, with links into
 * the Shopify admin. Built to be read at a glance.
 */
export function formatCustomerNote(shop: string, customer: ShopifyCustomer): string {
  const spent = formatMoney(customer.amountSpent.amount, customer.amountSpent.currencyCode);
  const orders = customer.numberOfOrders === 1 ? "1 order" : `${customer.numberOfOrders} orders`;
  const lines = [
    `**Shopify customer: ${adminLink(customer.displayName, customerAdminUrl(shop, customer.id))}**`,
    `${orders} · ${text(spent)} spent · customer since ${text(day(customer.createdAt))}${customer.tags.length ? ` · tags: ${customer.tags.map(text).join(", ")}` : ""}`,
  ];
  const hidden = olderOrdersHidden(customer);
  if (customer.orders.nodes.length === 0) {
    lines.push("", hidden ? "No orders in the last 60 days." : "No orders yet.");
    if (hidden) lines.push("", OLDER_ORDERS_NOT_VISIBLE);
    if (customer.displayName === REDACTED_BY_SHOPIFY) lines.push("", NAME_WITHHELD_LINE);
    return lines.join("\n");
  }
  lines.push("", "| Order | Date | Payment | Fulfilment | Total | Tracking |", "| --- | --- | --- | --- | --- | --- |");
  for (const order of customer.orders.nodes) {
    const tracking = order.fulfillments
      .flatMap((f) => f.trackingInfo)
      .filter((t) => t.url || t.number)
      // A tracking URL is stored text: linked only to a carrier's known tracking site.
      .map((t) => markdownLink([t.company, t.number].filter(Boolean).join(" ") || "Track", t.url, CARRIER_TRACKING_HOSTS));
    lines.push(
      `| ${adminLink(order.name, orderAdminUrl(shop, order.id))} | ${text(day(order.processedAt))} | ${text(humanStatus(order.displayFinancialStatus))} | ${text(humanStatus(order.displayFulfillmentStatus))} | ${text(formatMoney(order.totalPriceSet.shopMoney.amount, order.totalPriceSet.shopMoney.currencyCode))} | ${tracking.join(", ") || "—"} |`,
    );
  }
  if (hidden) lines.push("", OLDER_ORDERS_NOT_VISIBLE);
  if (customer.displayName === REDACTED_BY_SHOPIFY) lines.push("", NAME_WITHHELD_LINE);
  return lines.join("\n");
}

/** The first line of the note: can agents trust that the shopper is this customer? */
export function identityLine(verified: boolean): string {
  return verified
    ? "✅ **Signed-in customer**: the store confirmed who this shopper is."
    : "⚠️ **Not verified**: the shopper gave this email in the chat but is not signed in to the store. Confirm who they are before sharing order details.";
}

/**
 * The line naming the order a signed-in shopper opened the chat from ("Get help with this order" on the
 * order status page). Only ever built from an order-help identity the app signed after the Admin API
 * said the order is this customer's; the name is record text, so it is escaped like any other.
 */
export function orderInQuestionLine(shop: string, order: { gid: string; name: string }): string {
  return `🧾 **Asking about order ${adminLink(order.name, orderAdminUrl(shop, order.gid))}**, opened from the order status page in the customer's account.`;
}

export const NO_EMAIL_NOTE = "**Shopify:** this contact has no email address yet, so no Shopify customer could be matched.";
export const NO_CUSTOMER_NOTE = "**Shopify:** no customer in this store has this contact's email address.";

/** The contact attributes agents can filter and route on in Oscar. */
export function customerAttributes(customer: ShopifyCustomer): Record<string, string | number> {
  const last = customer.orders.nodes[0];
  return {
    shopify_customer_id: customer.id.slice(customer.id.lastIndexOf("/") + 1),
    shopify_orders_count: customer.numberOfOrders,
    shopify_total_spent: Number(customer.amountSpent.amount),
    shopify_currency: customer.amountSpent.currencyCode,
    shopify_tags: customer.tags.join(", "),
    ...(last ? { shopify_last_order_at: last.processedAt } : {}),
  };
}

/** How many orders the note's query asks for (CUSTOMER_FOR_CONVERSATION_QUERY's `orders(first: 5)`). */
export const NOTE_ORDER_COUNT = 5;

/**
 * Without the `read_all_orders` scope Shopify shows an app only the last 60 days of orders, while
 * numberOfOrders counts the customer's lifetime (Order object note and Customer.numberOfOrders on
 * https://shopify.dev/docs/api/admin-graphql). Agents must not read a short list as the whole history.
 */
export const OLDER_ORDERS_NOT_VISIBLE =
  "_Older orders exist but are not shown: Shopify lets this app see only the last 60 days of orders. Open the customer in Shopify for the full history._";

/** Whether the customer has orders the app cannot see: fewer listed than they placed, with room left on the page. */
export function olderOrdersHidden(customer: Pick<ShopifyCustomer, "numberOfOrders" | "orders">): boolean {
  const listed = customer.orders.nodes.length;
  return listed < NOTE_ORDER_COUNT && customer.numberOfOrders > listed;
}

/** What Shopify puts in displayName when the app may not read the value (https://shopify.dev/changelog/displayname-no-longer-exposes-unapproved-email-or-phone). */
export const REDACTED_BY_SHOPIFY = "•••";

/** Where a merchant (or the app's developer) fixes it: the app's protected customer data request. */
export const PROTECTED_DATA_REQUEST =
  "Request access under Protected customer data access in the app's Partner Dashboard (App setup) to show them.";

const DETAIL_WORDS: Array<[RegExp, string]> = [
  [/email/i, "email addresses"],
  [/firstName|lastName|displayName/i, "names"],
  [/phone/i, "phone numbers"],
  [/address/i, "addresses"],
];

/** The customer details a list of withheld paths names, in the merchant's words ("email addresses", "names"). */
export function withheldDetails(paths: readonly string[]): string[] {
  const words = new Set<string>();
  for (const path of paths) for (const [pattern, word] of DETAIL_WORDS) if (pattern.test(path.split(".").pop() ?? "")) words.add(word);
  return [...words];
}

/**
 * The note when Shopify withheld protected customer data from the look-up itself. Withheld emails
 * mean no customer can be matched by email, which is not the same as "no customer has this email".
 */
export function withheldCustomerNote(paths: readonly string[]): string {
  const details = withheldDetails(paths);
  const why = "the app is not approved for Shopify's protected customer data";
  if (details.length === 0 || details.includes("email addresses")) {
    const what = details.length === 0 ? "customer records" : `customers' ${details.join(", ")}`;
    return `**Shopify:** Shopify withheld ${what} because ${why}, so no customer could be matched to this contact's email. ${PROTECTED_DATA_REQUEST}`;
  }
  return `**Shopify:** Shopify withheld customers' ${details.join(", ")} because ${why}, so this contact could not be looked up. ${PROTECTED_DATA_REQUEST}`;
}

/** The sentence under a customer note whose name Shopify redacted. */
export const NAME_WITHHELD_LINE = `_Shopify withheld this customer's name because the app is not approved for protected customer data. ${PROTECTED_DATA_REQUEST}_`;
