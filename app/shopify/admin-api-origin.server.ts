import { setAbstractFetchFunc } from "@shopify/shopify-api/runtime";

export const SHOP_DOMAIN_HEADER = "x-shopify-shop-domain";

/**
 * Rewrites every request the Shopify library makes to `https://<shop>.myshopify.com/...` so it goes to
 * `origin` instead, naming the shop in a header. The library captures `fetch` when imported, so this
 * hook is the only way to point it at a local fake Admin API (sandbox and tests only).
 */
export function routeAdminApiTo(origin: string, baseFetch: typeof fetch = globalThis.fetch): void {
  setAbstractFetchFunc(async (input, init) => {
    const original = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
    if (!original.hostname.endsWith(".myshopify.com")) return baseFetch(input, init);
    const target = new URL(original.pathname + original.search, origin);
    const headers = new Headers(init?.headers);
    headers.set(SHOP_DOMAIN_HEADER, original.hostname);
    return baseFetch(target, { ...init, headers });
  });
}
