// The `shopify` global each module sees, typed by its target (the Shopify CLI writes the same file).
import "@shopify/ui-extensions";

declare module "./src/CustomerBlock.tsx" {
  const shopify: import("@shopify/ui-extensions/admin.customer-details.block.render").Api;
  const globalThis: { shopify: typeof shopify };
}

declare module "./src/OrderBlock.tsx" {
  const shopify: import("@shopify/ui-extensions/admin.order-details.block.render").Api;
  const globalThis: { shopify: typeof shopify };
}

declare module "./src/MessageCustomerAction.tsx" {
  const shopify: import("@shopify/ui-extensions/admin.customer-details.action.render").Api;
  const globalThis: { shopify: typeof shopify };
}
