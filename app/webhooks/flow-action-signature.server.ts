import { createHmac, timingSafeEqual } from "node:crypto";
import { jsonResponse } from "../http/json.server";

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

/**
 * The JSON body of a request Shopify Flow sent (an action run, a trigger lifecycle callback), or the
 * answer for one it did not sign (401: `unsigned`, for the caller to log) or whose body is not JSON (400).
 */
export async function readSignedFlowRequest(request: Request, appSecret: string): Promise<{ body: unknown } | { refusal: Response; unsigned: boolean }> {
  const rawBody = new Uint8Array(await request.arrayBuffer());
  if (!verifyFlowActionSignature(rawBody, request.headers.get(FLOW_ACTION_SIGNATURE_HEADER), appSecret)) {
    return { refusal: jsonResponse({ error: "The request is not signed by Shopify." }, { status: 401 }), unsigned: true };
  }
  try {
    return { body: JSON.parse(Buffer.from(rawBody).toString("utf8")) };
  } catch {
    return { refusal: jsonResponse({ error: "The body is not JSON." }, { status: 400 }), unsigned: false };
  }
}
