import { config } from "../config.server";

/**
 * In sandbox mode there is no Shopify admin around the app, so the app serves its own stand-in for
 * App Bridge (see routes/sandbox.app-bridge[.]js.tsx). The Shopify adapter reads APP_BRIDGE_URL when it
 * is imported, so this module must be imported before it.
 */
export const SANDBOX_APP_BRIDGE_PATH = "/sandbox/app-bridge.js";

// The configuration decides whether this is a sandbox (never in production), so both agree.
const settings = config();
if (settings.sandbox) process.env.APP_BRIDGE_URL = new URL(SANDBOX_APP_BRIDGE_PATH, settings.shopify.appUrl).href;
