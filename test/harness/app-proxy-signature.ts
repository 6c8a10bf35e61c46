import { createHmac } from "node:crypto";

/**
 * Signs a query as Shopify's app proxy does: hex HMAC-SHA256 over the sorted key=value pairs joined
 * with nothing between them, a repeated key's values joined by commas (shopify.dev, "Authenticate app
 * proxies"; the library checks the same way). Sets `signature` on the params.
 */
export function signAppProxyParams(params: URLSearchParams, secret: string): URLSearchParams {
  const grouped = new Map<string, string[]>();
  for (const [key, value] of params) grouped.set(key, [...(grouped.get(key) ?? []), value]);
  const message = [...grouped.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, values]) => `${key}=${values.join(",")}`)
    .join("");
  params.set("signature", createHmac("sha256", secret).update(message).digest("hex"));
  return params;
}
