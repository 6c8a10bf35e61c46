import { oscarConversationUrl } from "../oscar/links";
import { escapeSlackLine, slackQuote } from "../text/escape";
import type { ShopifyCustomer } from "../services/customer-lookup.server";
import { formatMoney } from "../services/enrichment-note";
import type { SlackMessage } from "./slack.server";

/**
 * Block Kit alerts. Slack is the merchant's own workspace, so the shopper's name and words may appear,
 * always escaped: in `text` (the notification) as in the blocks. `verbatim` stops Slack from turning
 * a URL or #channel the shopper typed into a link (Block Kit text object reference).
 */

export type AlertContext = {
  conversationId: string;
  customer: string;
  orderSummary: string | null;
};

const mrkdwn = (text: string) => ({ type: "mrkdwn", text, verbatim: true });
const clip = (text: string, max = 500) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

function alert(title: string, context: AlertContext, fields: Array<[string, string]>, quote: string | null): SlackMessage {
  const blocks: unknown[] = [
    { type: "header", text: { type: "plain_text", text: title } },
    {
      type: "section",
      fields: [["Customer", context.customer], ...fields, ...(context.orderSummary ? [["Orders", context.orderSummary] as [string, string]] : [])].map(
        ([label, value]) => mrkdwn(`*${label}*\n${escapeSlackLine(value)}`),
      ),
    },
  ];
  if (quote) blocks.push({ type: "section", text: mrkdwn(slackQuote(clip(quote))) });
  blocks.push({
    type: "actions",
    elements: [{ type: "button", text: { type: "plain_text", text: "Open conversation" }, url: oscarConversationUrl(context.conversationId), style: "primary" }],
  });
  return { text: `${title}: ${escapeSlackLine(context.customer)}`, blocks };
}

export const urgentAlert = (context: AlertContext, keywords: string[], message: string) =>
  alert("Urgent conversation", context, [["Matched", keywords.join(", ")]], message);

export const vipAlert = (context: AlertContext, reason: string, message: string | null) =>
  alert("VIP customer is chatting", context, [["Why VIP", reason]], message);

export const botEscalationAlert = (context: AlertContext, reason: string, lastMessage: string | null, assignee: string | null) =>
  alert("The bot handed a conversation to your team", context, [["Reason", reason], ["Assigned to", assignee ?? "nobody (no agents configured)"]], lastMessage);

/** A one-line order summary of the Shopify customer the app looked up (a signed-in shopper's), or null. */
export function orderSummaryOf(customer: ShopifyCustomer | null): string | null {
  if (!customer) return null;
  const count = customer.numberOfOrders;
  const last = customer.orders.nodes[0] ? `, last ${customer.orders.nodes[0].processedAt.slice(0, 10)}` : "";
  return `${count} ${count === 1 ? "order" : "orders"}, ${formatMoney(customer.amountSpent.amount, customer.amountSpent.currencyCode)} spent${last}`;
}
