import type { OrderCommandKind } from "../models/order-commands.server";

/**
 * The Shopify access each order command needs. None of it is asked for at install: these are the
 * app's optional scopes (shopify.app.toml `optional_scopes`), requested only when the merchant turns
 * a command on. Sources, each mutation's page on shopify.dev/docs/api/admin-graphql ("Requires …"):
 * orderCancel, refundCreate and orderUpdate need write_orders; discountCodeBasicCreate needs
 * write_discounts; fulfillmentTrackingInfoUpdate needs one of write_assigned_, write_merchant_managed_
 * or write_third_party_fulfillment_orders: the app asks for write_merchant_managed_fulfillment_orders,
 * the one that covers shipments the merchant sends (assumption: fulfillments by a fulfillment-service
 * app are that app's to update, so resending their tracking is not offered).
 */
export const SCOPES_FOR_COMMAND: Record<OrderCommandKind, readonly string[]> = {
  cancel: ["write_orders"],
  refund: ["write_orders"],
  address: ["write_orders"],
  discount: ["write_discounts"],
  "resend-tracking": ["write_merchant_managed_fulfillment_orders"],
};

/** Every optional scope the app declares, in the order the toml lists them. */
export const ORDER_COMMAND_OPTIONAL_SCOPES: readonly string[] = [...new Set(Object.values(SCOPES_FOR_COMMAND).flat())];

/** What each scope lets the app do, in the merchant's words (settings page and README). */
export const SCOPE_PURPOSE: Record<string, string> = {
  write_orders: "cancel orders, refund them and change their shipping address",
  write_discounts: "create single-use discount codes",
  write_merchant_managed_fulfillment_orders: "send the customer their tracking again",
};

const has = (granted: readonly string[], scope: string) => granted.includes(scope);

/** The scopes these commands need that the shop has not granted, once each. */
export function missingScopes(commands: readonly OrderCommandKind[], granted: readonly string[]): string[] {
  return [...new Set(commands.flatMap((command) => SCOPES_FOR_COMMAND[command]))].filter((scope) => !has(granted, scope));
}

/** Whether the shop granted everything the command needs. */
export const hasAccessFor = (command: OrderCommandKind, granted: readonly string[]) => SCOPES_FOR_COMMAND[command].every((scope) => has(granted, scope));
