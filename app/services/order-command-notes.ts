import type { OrderCommandKind, OrderCommandSettings } from "../models/order-commands.server";
import { escapeMarkdown } from "../text/escape";
import { formatMoney } from "./enrichment-note";
import { USAGE, type ShippingAddress } from "./order-command-parse";
import type { Money } from "./order-command-shopify.server";

/**
 * The private notes the app answers order commands with (markdown). Every value from an order, a
 * customer or an agent's note goes through escapeMarkdown: a note can never gain a link or a line
 * it was not written with.
 */

/** Exactly what a confirmation will do: stored with the preview, acted on as stored. */
export type OrderCommandPlan =
  | { kind: "cancel"; orderId: string; orderName: string; refund: Money | null; restock: boolean; notifyCustomer: boolean; shipped: boolean }
  | { kind: "refund"; orderId: string; orderName: string; amount: Money; shipping: Money | null; payment: { gateway: string; parentId: string }; notifyCustomer: boolean }
  | { kind: "address"; orderId: string; orderName: string; address: ShippingAddress; previous: string | null }
  | { kind: "discount"; customerId: string; percent: number; code: string; endsAt: string }
  | { kind: "resend-tracking"; orderId: string; orderName: string; fulfillmentId: string; tracking: { company: string | null; number: string; url: string | null } };

const md = (text: string) => escapeMarkdown(text);
const amount = (m: Money) => md(formatMoney(m.amount, m.currencyCode));
const told = (notify: boolean, what: string) => (notify ? `Shopify emails the customer ${what}.` : "The customer is not notified by Shopify.");

export function formatAddress(a: ShippingAddress): string {
  return [[a.firstName, a.lastName].filter(Boolean).join(" "), a.address1, a.address2, a.city, [a.provinceCode, a.zip].filter(Boolean).join(" "), a.countryCode].filter(Boolean).join(", ");
}

/** What will happen, one line each, for the preview and the audit page. */
export function describePlan(plan: OrderCommandPlan): string[] {
  switch (plan.kind) {
    case "cancel":
      return [
        `**Cancel order ${md(plan.orderName)}** (reason: customer request).`,
        plan.refund ? `Refund ${amount(plan.refund)} to the original payment method, as Shopify calculates it.` : "Nothing is refunded: nothing paid remains on the order.",
        `Restock the items: ${plan.restock ? "yes" : "no"}.`,
        told(plan.notifyCustomer, "the cancellation"),
        ...(plan.shipped ? ["Heads-up: part of this order has shipped. Shopify refuses to cancel orders whose fulfillments can't be cancelled."] : []),
      ];
    case "refund":
      return [
        `**Refund ${amount(plan.amount)} on order ${md(plan.orderName)}**${plan.shipping ? " (its shipping, as Shopify calculates it)" : ""}, to the original payment method.`,
        "Restock the items: no (money only).",
        told(plan.notifyCustomer, "the refund"),
      ];
    case "address":
      return [
        `**Change the shipping address of order ${md(plan.orderName)}** to: ${md(formatAddress(plan.address))}.`,
        ...(plan.previous ? [`It was: ${md(plan.previous)}.`] : []),
        "The customer is not notified by Shopify.",
      ];
    case "discount":
      return [
        `**Create discount code ${md(plan.code)}**: ${plan.percent}% off everything, usable once, only by this conversation's signed-in customer, until ${md(plan.endsAt.slice(0, 10))}.`,
        "Shopify does not email discount codes: the customer gets the code only if you send it to them.",
      ];
    case "resend-tracking":
      return [
        `**Send the customer the tracking of order ${md(plan.orderName)} again**: ${md([plan.tracking.company, plan.tracking.number].filter(Boolean).join(" "))}.`,
        "Shopify emails the customer the shipping update.",
      ];
  }
}

export function previewNote(plan: OrderCommandPlan, code: string, expiresAt: Date): string {
  return [
    "**Order command preview**",
    "",
    ...describePlan(plan).map((line) => `- ${line}`),
    "",
    `To go ahead, write a private note: \`/confirm ${code}\` before ${expiresAt.toISOString().slice(11, 16)} UTC. Nothing happens without it.`,
  ].join("\n");
}

export function refusalNote(reason: string): string {
  return `**Order command not carried out.** ${reason}`;
}

export function resultNote(plan: OrderCommandPlan, result: { ok: true; detail?: string } | { ok: false; reasons: string[] }): string {
  if (!result.ok) {
    return [`**Shopify refused:** ${describePlan(plan)[0]}`, "", ...result.reasons.map((r) => `- ${md(r)}`), "", "Nothing was changed."].join("\n");
  }
  return [`**Done:** ${describePlan(plan)[0]}`, ...describePlan(plan).slice(1).map((line) => `- ${line}`), ...(result.detail ? [md(result.detail)] : [])].join("\n");
}

/** The commands on in this shop, with their limits: what /help answers. */
export function helpNote(settings: OrderCommandSettings): string {
  const on = settings.enabledCommands;
  if (on.length === 0) return "**Order commands**: the merchant has not turned any on (Settings → Order commands).";
  const limit = (kind: OrderCommandKind) => {
    if (kind === "refund" || kind === "cancel") return settings.maxRefundAmount ? ` (refunds up to ${md(settings.maxRefundAmount)} in the shop's currency)` : " (no refunds allowed)";
    if (kind === "discount") return settings.maxDiscountPercent ? ` (up to ${settings.maxDiscountPercent}%)` : " (no discounts allowed)";
    return "";
  };
  return [
    "**Order commands this shop allows** (write them in a private note; each shows a preview to confirm):",
    ...on.map((kind) => `- \`${USAGE[kind].split("\n")[0]}\`${limit(kind)}`),
    `- \`${USAGE.confirm}\`: carry out a preview, within 5 minutes`,
    `Shopify ${settings.notifyCustomer ? "emails" : "does not email"} the customer about cancellations and refunds.`,
  ].join("\n");
}

export function usageNote(usage: string): string {
  return `**Order command not understood.** Write it as: \`${usage.split("\n")[0]}\`${usage.includes("\n") ? `\n\n${usage.split("\n").slice(1).join("\n")}` : ""}`;
}
