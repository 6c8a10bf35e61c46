import type { OrderDataKind } from "../../models/order-status-settings.server";
import type { SlackAlertKind } from "../../models/slack-settings.server";

/** How the settings page names each alert kind and each kind of order data, in the merchant's words. */

export const SLACK_ALERTS: Array<{ kind: SlackAlertKind; label: string; description: string }> = [
  { kind: "urgent", label: "Urgent conversations", description: "A shopper wrote one of your urgent keywords." },
  { kind: "vip", label: "VIP customers", description: "A customer on a VIP plan, or over your spending threshold, is chatting." },
  { kind: "botEscalation", label: "Bot hand-offs", description: "The bot handed a conversation to your team." },
  { kind: "report", label: "Weekly report", description: "What support achieved last week." },
];

export const ORDER_DATA_CHOICES: Array<{ value: OrderDataKind; label: string }> = [
  { value: "status", label: "Order status (paid, fulfilled, cancelled)" },
  { value: "tracking", label: "Tracking numbers and links" },
  { value: "items", label: "Items in the order" },
  { value: "total", label: "Order total" },
  { value: "delivery_address", label: "Delivery address" },
];
