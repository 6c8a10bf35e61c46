/**
 * In sandbox mode there is no Shopify admin around the app, so the app serves its own stand-in for
 * App Bridge (see routes/sandbox.app-bridge[.]js.tsx). The Shopify adapter reads APP_BRIDGE_URL when it
 * is imported, so this module must be imported before it.
 */
export const SANDBOX_APP_BRIDGE_PATH = "/sandbox/app-bridge.js";

const sandbox = process.env.SANDBOX_MODE === "true" || process.env.SANDBOX_MODE === "1";
if (sandbox && process.env.NODE_ENV !== "production" && process.env.SHOPIFY_APP_URL) {
  process.env.APP_BRIDGE_URL = new URL(SANDBOX_APP_BRIDGE_PATH, process.env.SHOPIFY_APP_URL).href;
}
