import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Shopify signs each Flow action request like its webhooks: `x-shopify-hmac-sha256` is the base64
 * HMAC-SHA256 of the raw body with the app's client secret (shopify.dev, "Create Flow action endpoints",
 * Verifying requests; @shopify/shopify-api's `flow.validate` checks the same header the same way).
 */
export const FLOW_ACTION_SIGNATURE_HEADER = "x-shopify-hmac-sha256";

const BASE64_SHA256 = /^[A-Za-z0-9+/]{43}=$/;

/** Compared in constant time; a missing or malformed header is "not signed" and never throws. */
export function verifyFlowActionSignature(rawBody: Uint8Array, header: string | null | undefined, appSecret: string): boolean {
  const given = header?.trim();
  if (!given || !BASE64_SHA256.test(given)) return false;
  const expected = createHmac("sha256", appSecret).update(rawBody).digest();
  const actual = Buffer.from(given, "base64");
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
