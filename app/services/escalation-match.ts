import type { EscalationRules } from "../models/escalation-rules.server";

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

/** Why a contact counts as VIP under the shop's rules, or null. */
export function vipReason(attributes: Record<string, unknown> | undefined, rules: EscalationRules): string | null {
  if (!attributes) return null;
  const plan = typeof attributes.plan === "string" ? attributes.plan.trim().toLowerCase() : null;
  if (plan && rules.vipPlans.some((p) => p.trim().toLowerCase() === plan)) return `plan ${plan}`;
  const spent = [attributes.total_spent, attributes.shopify_total_spent]
    .map((v) => (typeof v === "number" ? v : typeof v === "string" ? Number(v) : NaN))
    .filter((v) => Number.isFinite(v));
  const most = spent.length ? Math.max(...spent) : NaN;
  if (most > rules.vipTotalSpent) return `spent ${most} (over ${rules.vipTotalSpent})`;
  return null;
}
