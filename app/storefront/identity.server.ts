import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import { z } from "zod";

/**
 * A shopper identity token: the app's signed word that Shopify said this shopper is logged in as this
 * customer of this shop. The storefront hands it to Oscar with `identify`; anything else a browser sends
 * to Oscar is the shopper's own claim, so only what this token covers is trusted.
 *
 *   v1.<base64url(JSON payload)>.<base64url(HMAC-SHA256(shop key, "v1." + payload part))>
 *   payload: { shop, sub: numeric customer id, em: keyed hash of the email, iat, exp } (seconds)
 *            and, for an order-help hand-off only, oid: numeric order id, onm: the order's name ("#1001")
 *
 * The email travels as a keyed hash so the token binds it without carrying it. An order-help token is
 * the same identity with the order it was minted for: the app checked, with the Admin API, that the
 * order is that customer's (app/services/order-help.server.ts), so the worker can name it.
 */

const VERSION = "v1";

/**
 * 30 minutes. The embed asks for a fresh token on every page view and renews it 2 minutes before
 * expiry on a page left open, so a shopper chatting never holds an expired one; a token copied or
 * left behind on a shared device (issue 17 asks for an hour at most) stops vouching within half an hour.
 */
export const IDENTITY_TTL_SECONDS = 30 * 60;

export type ShopperIdentityRejection =
  | "malformed"
  | "bad-signature"
  | "wrong-shop"
  | "expired"
  | "customer-mismatch"
  | "email-mismatch";

/** The order an order-help token was minted for: numeric id and the name shoppers and staff see. */
export type SignedOrder = { id: string; name: string };

export type ShopperIdentityVerification =
  | { verified: true; customerId: string; order: SignedOrder | null }
  | { verified: false; reason: ShopperIdentityRejection };

const payloadSchema = z.object({
  shop: z.string(),
  sub: z.string().regex(/^\d{1,20}$/),
  em: z.string(),
  iat: z.number().int(),
  exp: z.number().int(),
  oid: z.string().regex(/^\d{1,20}$/).optional(),
  onm: z.string().max(255).optional(),
});

/**
 * The shop's identity-signing key, derived rather than stored: nothing new to keep secret or back up,
 * it rotates with the app secret, one shop's tokens never verify for another, and the label keeps these
 * MACs from ever matching other HMACs made with the app secret (webhooks, app proxy signatures).
 */
export function deriveIdentityKey(appSecret: string, shop: string): Buffer {
  return Buffer.from(hkdfSync("sha256", appSecret, "oscar-chat/shopper-identity/v1", normalizeShop(shop), 32));
}

export function signShopperIdentity({
  secret,
  shop,
  customerId,
  email,
  now,
  ttlSeconds = IDENTITY_TTL_SECONDS,
  order,
}: {
  /** The app secret (config().shopify.apiSecret); the shop's key is derived from it. */
  secret: string;
  shop: string;
  customerId: string | number;
  email: string | null | undefined;
  now: Date;
  ttlSeconds?: number;
  /** Only after the Admin API said this order is this customer's. */
  order?: { id: string; name: string };
}): string {
  const sub = numericCustomerId(customerId);
  if (!sub) throw new TypeError("A shopper identity needs a Shopify customer id.");
  const oid = order ? numericOrderId(order.id) : undefined;
  if (order && !oid) throw new TypeError("An order-help identity needs a Shopify order id.");
  const key = deriveIdentityKey(secret, shop);
  const iat = Math.floor(now.getTime() / 1000);
  const payload = {
    shop: normalizeShop(shop),
    sub,
    em: emailBinding(key, email),
    iat,
    exp: iat + ttlSeconds,
    ...(order ? { oid, onm: order.name } : {}),
  };
  const body = `${VERSION}.${Buffer.from(JSON.stringify(payload)).toString("base64url")}`;
  return `${body}.${mac(key, body).toString("base64url")}`;
}

/**
 * Checks a token against the shop it must belong to and against what the contact claims: a claimed
 * customer id or email that is not the one signed fails, so a copied token proves nothing about anyone else.
 * Never throws, whatever it is given.
 */
export function verifyShopperIdentity({
  secret,
  token,
  shop,
  email,
  customerId,
  now,
}: {
  secret: string;
  token: unknown;
  shop: string;
  /** The email the contact claims; when given it must be the signed one. */
  email?: string | null;
  /** The customer id the contact claims (numeric or gid); when given it must be the signed one. */
  customerId?: string | number | null;
  now: Date;
}): ShopperIdentityVerification {
  try {
    if (typeof token !== "string" || token.length > 2048) return rejected("malformed");
    const parts = token.split(".");
    if (parts.length !== 3 || parts[0] !== VERSION) return rejected("malformed");
    const key = deriveIdentityKey(secret, shop);
    // Compared as text: base64url decoding is lenient, and a token should have exactly one spelling.
    const expected = mac(key, `${parts[0]}.${parts[1]}`).toString("base64url");
    if (!sameBytes(Buffer.from(parts[2]), Buffer.from(expected))) return rejected("bad-signature");

    const parsed = payloadSchema.safeParse(JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8")));
    if (!parsed.success) return rejected("malformed");
    const payload = parsed.data;
    if (payload.shop !== normalizeShop(shop)) return rejected("wrong-shop");
    if (Math.floor(now.getTime() / 1000) >= payload.exp) return rejected("expired");
    if (customerId !== undefined && customerId !== null && numericCustomerId(customerId) !== payload.sub) {
      return rejected("customer-mismatch");
    }
    if (email !== undefined && email !== null && !sameBytes(Buffer.from(emailBinding(key, email)), Buffer.from(payload.em))) {
      return rejected("email-mismatch");
    }
    const order = payload.oid && payload.onm !== undefined ? { id: payload.oid, name: payload.onm } : null;
    return { verified: true, customerId: payload.sub, order };
  } catch {
    return rejected("malformed");
  }
}

/** "123", 123 or "gid://shopify/Customer/123" → "123"; anything else → null. */
export function numericCustomerId(id: unknown): string | null {
  if (typeof id === "number") return Number.isSafeInteger(id) && id > 0 ? String(id) : null;
  if (typeof id !== "string") return null;
  const match = /^(?:gid:\/\/shopify\/Customer\/)?(\d{1,20})$/.exec(id.trim());
  return match ? match[1] : null;
}

/** "123" or "gid://shopify/Order/123" → "123"; anything else → null. */
export function numericOrderId(id: unknown): string | null {
  if (typeof id !== "string") return null;
  const match = /^(?:gid:\/\/shopify\/Order\/)?(\d{1,20})$/.exec(id.trim());
  return match ? match[1] : null;
}

function normalizeShop(shop: string): string {
  return shop.trim().toLowerCase();
}

function emailBinding(key: Buffer, email: string | null | undefined): string {
  const normalized = (email ?? "").trim().toLowerCase();
  return createHmac("sha256", key).update(`email:${normalized}`).digest("base64url").slice(0, 22);
}

function mac(key: Buffer, data: string): Buffer {
  return createHmac("sha256", key).update(data).digest();
}

function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

function rejected(reason: ShopperIdentityRejection): ShopperIdentityVerification {
  return { verified: false, reason };
}
