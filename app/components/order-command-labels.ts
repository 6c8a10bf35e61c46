import type { OrderActionStatus, OrderCommandKind } from "../models/order-commands.server";

/** How the admin names each order command and each audit status, in the merchant's words. */

export const ORDER_COMMANDS: Array<{ kind: OrderCommandKind; label: string; example: string }> = [
  { kind: "cancel", label: "Cancel orders", example: "/cancel #1025" },
  { kind: "refund", label: "Refund orders, up to your limit", example: "/refund #1025 24.90 or /refund #1025 shipping" },
  { kind: "address", label: "Change an order's shipping address", example: "/address #1025, then the new address on the next lines" },
  { kind: "discount", label: "Send a single-use discount code, up to your limit", example: "/discount 10%" },
  { kind: "resend-tracking", label: "Send the customer their tracking again", example: "/resend-tracking #1025" },
];

export const commandLabel = (kind: string) => ORDER_COMMANDS.find((c) => c.kind === kind)?.label ?? kind;

/** The command as agents type it, for the audit page. */
export const commandWord = (kind: string) => `/${kind}`;

export const STATUS_LABELS: Record<OrderActionStatus, { label: string; tone?: "success" | "critical" | "warning" | "info" }> = {
  previewed: { label: "Waiting for confirmation", tone: "info" },
  refused: { label: "Refused", tone: "warning" },
  confirmed: { label: "Confirmed, in progress", tone: "info" },
  done: { label: "Done", tone: "success" },
  failed: { label: "Shopify refused", tone: "critical" },
  expired: { label: "Expired unconfirmed" },
};
