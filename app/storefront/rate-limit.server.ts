import { createHash } from "node:crypto";
import type { Redis } from "ioredis";

/**
 * Per-IP and per-customer limits on the storefront's public endpoints (the app proxy), counted in
 * Redis so every web process shares them. Fixed one-minute windows: simple, and a shopper browsing
 * page after page stays far below them; what they stop is a script asking for identities in a loop,
 * each of which would cost an Admin API query.
 */

export type StorefrontLimits = { perIpPerMinute: number; perCustomerPerMinute: number };

/** A page view asks once; 60 a minute from one address leaves room for a shared office or NAT. */
export const STOREFRONT_LIMITS: StorefrontLimits = { perIpPerMinute: 60, perCustomerPerMinute: 20 };

export type StorefrontRateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export type StorefrontRateLimiter = (request: { shop: string; ip: string; customerId: string | null }) => Promise<StorefrontRateDecision>;

// Counts each key once per call; a key's window starts at its first request. Returns, per key,
// its count and the milliseconds left in its window.
const COUNT = `
local out = {}
for i, key in ipairs(KEYS) do
  local count = redis.call('INCR', key)
  if count == 1 then redis.call('PEXPIRE', key, ARGV[1]) end
  local ttl = redis.call('PTTL', key)
  if ttl < 0 then redis.call('PEXPIRE', key, ARGV[1]); ttl = tonumber(ARGV[1]) end
  out[#out + 1] = count
  out[#out + 1] = ttl
end
return out
`;

const WINDOW_MS = 60_000;
// Addresses and customer ids are hashed: Redis keys should not hold who visited.
const hashed = (text: string) => createHash("sha256").update(text).digest("base64url").slice(0, 22);

export function createStorefrontRateLimiter({ redis, prefix, limits = STOREFRONT_LIMITS }: { redis: Redis; prefix: string; limits?: StorefrontLimits }): StorefrontRateLimiter {
  return async ({ shop, ip, customerId }) => {
    const keys = [`${prefix}:storefront-rate:${shop}:ip:${hashed(ip)}`];
    const caps = [limits.perIpPerMinute];
    if (customerId) {
      keys.push(`${prefix}:storefront-rate:${shop}:customer:${hashed(customerId)}`);
      caps.push(limits.perCustomerPerMinute);
    }
    const result = (await redis.eval(COUNT, keys.length, ...keys, WINDOW_MS)) as number[];
    let waitMs = 0;
    caps.forEach((cap, i) => {
      if (Number(result[2 * i]) > cap) waitMs = Math.max(waitMs, Number(result[2 * i + 1]));
    });
    return waitMs > 0 ? { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) } : { allowed: true };
  };
}

/**
 * The shopper's address: Shopify's app proxy sends it in X-Forwarded-For ("The client IP address",
 * shopify.dev, Authenticate app proxies). The first entry is taken, as Shopify documents one; a
 * request without it (not through Shopify) falls back to the socket's address.
 */
export function shopperAddress(request: Request, socketAddress: string | undefined): string {
  const forwarded = request.headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  return forwarded || socketAddress || "unknown";
}
