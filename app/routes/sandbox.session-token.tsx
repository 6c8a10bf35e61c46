import { config } from "../config.server";
import { requireSandbox } from "../sandbox/guard.server";
import { mintSessionToken } from "../sandbox/session-token.server";
import { jsonResponse } from "../http/json.server";

// What App Bridge's idToken() answers inside the Shopify admin; the sandbox App Bridge stand-in calls it.
export const loader = async () => {
  const { shop } = requireSandbox();
  const { apiKey, apiSecret } = config().shopify;
  return jsonResponse({ token: mintSessionToken({ apiKey, apiSecret, shop }) }, { headers: { "Cache-Control": "no-store" } });
};
