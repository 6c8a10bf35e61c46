// What Shopify CLI generates for an extension: the `shopify` global each module receives, typed by its target.
import "@shopify/ui-extensions";

declare module "./src/OrderHelpBlock.tsx" {
  const shopify: import("@shopify/ui-extensions/customer-account.order-status.block.render").Api;
  const globalThis: { shopify: typeof shopify };
}
