import { requireSandbox } from "../sandbox/guard.server";
import appBridgeStandIn from "../sandbox/app-bridge-stand-in.js?raw";

// Served in place of https://cdn.shopify.com/shopifycloud/app-bridge.js when there is no Shopify admin.
export const loader = async () => {
  requireSandbox();
  return new Response(appBridgeStandIn, {
    headers: { "Content-Type": "text/javascript; charset=utf-8", "Cache-Control": "no-store" },
  });
};
