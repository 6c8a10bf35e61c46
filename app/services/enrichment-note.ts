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
  if (customer.orders.nodes.length === 0) {
    lines.push("", "No orders yet.");
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
  return lines.join("\n");
}

/** The first line of the note: can agents trust that the shopper is this customer? */
export function identityLine(verified: boolean): string {
  return verified
    ? "✅ **Signed-in customer**: the store confirmed who this shopper is."
    : "⚠️ **Not verified**: the shopper gave this email in the chat but is not signed in to the store. Confirm who they are before sharing order details.";
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
