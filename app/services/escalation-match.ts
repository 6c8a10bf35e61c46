import type { EscalationRules } from "../models/escalation-rules.server";
import type { ShopifyCustomer } from "./customer-lookup.server";

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * The urgent keywords a message contains, as whole words in any case ("charge" matches "Charge!"
 * but not "charger"; "cancel subscription" matches across any run of spaces).
 */
export function urgentKeywordsIn(text: string, keywords: string[]): string[] {
  return keywords.filter((keyword) => {
    const words = keyword.trim().split(/\s+/).filter(Boolean).map(escapeRegExp);
    if (words.length === 0) return false;
    return new RegExp(`(?<![\\p{L}\\p{N}_])${words.join("\\s+")}(?![\\p{L}\\p{N}_])`, "iu").test(text);
  });
}

/**
 * Why a shopper counts as VIP under the shop's rules, or null: only from the Shopify customer the app
 * looked up for a signed-in shopper (pass null for anyone else), never from contact attributes, which
 * the shopper can set through the widget. Amounts are in the shop's currency, as the threshold is.
 */
export function vipReason(customer: ShopifyCustomer | null, rules: EscalationRules): string | null {
  if (!customer) return null;
  const spent = Number(customer.amountSpent.amount);
  if (Number.isFinite(spent) && spent > rules.vipTotalSpent) return `spent ${spent} ${customer.amountSpent.currencyCode} (over ${rules.vipTotalSpent})`;
  // Shopify treats tags case-insensitively in search and the admin (assumed: https://help.shopify.com/en/manual/shopify-admin/productivity-tools/using-tags).
  const wanted = new Set(rules.vipCustomerTags.map((tag) => tag.trim().toLowerCase()).filter(Boolean));
  const tag = customer.tags.find((t) => wanted.has(t.trim().toLowerCase()));
  if (tag) return `tagged ${tag}`;
  return null;
}
