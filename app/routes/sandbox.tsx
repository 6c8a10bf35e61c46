import { redirect } from "@remix-run/node";
import { config } from "../config.server";
import { requireSandbox } from "../sandbox/guard.server";
import { adminHostParam, mintSessionToken } from "../sandbox/session-token.server";

// Sandbox sign-in: opens the embedded home as the sandbox shop, as the Shopify admin would.
export const loader = async () => {
  const { shop } = requireSandbox();
  const { apiKey, apiSecret } = config().shopify;
  const params = new URLSearchParams({
    embedded: "1",
    shop,
    host: adminHostParam(shop),
    id_token: mintSessionToken({ apiKey, apiSecret, shop }),
  });
  throw redirect(`/app?${params.toString()}`);
};
