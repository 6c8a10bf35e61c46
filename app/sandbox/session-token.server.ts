import { createHmac, randomUUID } from "node:crypto";

const base64url = (value: string | Buffer) => Buffer.from(value).toString("base64url");

/**
 * A Shopify session token (HS256 JWT signed with the app secret), as the Shopify admin would issue
 * it to the embedded app. Only the sandbox mints these: in production Shopify does.
 */
export function mintSessionToken({ apiKey, apiSecret, shop, userId = "1", now = Date.now(), ttlSeconds = 60 }: {
  apiKey: string;
  apiSecret: string;
  shop: string;
  userId?: string;
  now?: number;
  ttlSeconds?: number;
}): string {
  const iat = Math.floor(now / 1000);
  const header = base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const payload = base64url(
    JSON.stringify({
      iss: `https://${shop}/admin`,
      dest: `https://${shop}`,
      aud: apiKey,
      sub: userId,
      exp: iat + ttlSeconds,
      nbf: iat,
      iat,
      jti: randomUUID(),
      sid: randomUUID(),
    }),
  );
  const signature = createHmac("sha256", apiSecret).update(`${header}.${payload}`).digest("base64url");
  return `${header}.${payload}.${signature}`;
}

/** The `host` query parameter the admin passes: base64 of the admin URL for the store. */
export function adminHostParam(shop: string): string {
  return Buffer.from(`admin.shopify.com/store/${shop.replace(/\.myshopify\.com$/, "")}`).toString("base64url");
}
