import { TEST_API_SECRET, TEST_SHOP } from "./app-stack";
import { signAppProxyParams } from "./app-proxy-signature";

/**
 * A request as Shopify's app proxy sends it: /apps/oscar-chat/identity on the storefront becomes
 * <app>/proxy/identity with the shop, the logged-in customer (empty for a visitor) and a signature
 * (see signAppProxyParams).
 */
export function signedAppProxyUrl(
  appUrl: string,
  {
    customerId = "",
    secret = TEST_API_SECRET,
    extra = [],
    tamper,
  }: { customerId?: string; secret?: string; extra?: Array<[string, string]>; tamper?: (p: URLSearchParams) => void } = {},
): string {
  const params = new URLSearchParams([
    ...extra,
    ["shop", TEST_SHOP],
    ["logged_in_customer_id", customerId],
    ["path_prefix", "/apps/oscar-chat"],
    ["timestamp", String(Math.floor(Date.now() / 1000))],
  ]);
  signAppProxyParams(params, secret);
  tamper?.(params);
  return `${appUrl}/proxy/identity?${params}`;
}
