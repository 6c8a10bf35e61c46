import { createHmac } from "node:crypto";
import { TEST_API_SECRET, TEST_SHOP } from "./app-stack";

/**
 * A request as Shopify's app proxy sends it: /apps/oscar-chat/identity on the storefront becomes
 * <app>/proxy/identity with the shop, the logged-in customer (empty for a visitor) and a signature:
 * hex HMAC-SHA256 over the sorted key=value pairs joined with nothing between them, a repeated
 * key's values joined by commas (shopify.dev, "Authenticate app proxies"; the library does the same).
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
  const grouped = new Map<string, string[]>();
  for (const [key, value] of params) grouped.set(key, [...(grouped.get(key) ?? []), value]);
  const message = [...grouped.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, values]) => `${key}=${values.join(",")}`)
    .join("");
  params.set("signature", createHmac("sha256", secret).update(message).digest("hex"));
  tamper?.(params);
  return `${appUrl}/proxy/identity?${params}`;
}
