import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { config } from "../config.server";
import { jsonResponse } from "../http/json.server";
import { logger } from "../logger.instance.server";
import { producerRedis } from "../queues/index.server";
import { mintOrderHelp } from "../services/order-help.server";
import { authenticate, unauthenticated } from "../shopify.server";
import { createStorefrontRateLimiter } from "../storefront/rate-limit.server";

// About one customer and one order: no cache may keep or replay it.
const PRIVATE = { "Cache-Control": "private, no-store" };

const body = z.object({ order_id: z.string().max(100) });

/**
 * Customer account session token claims (shopify.dev, Session Token API for customer account UI
 * extensions): `dest` is the shop, `sub` the signed-in customer's gid, absent for a buyer who is not
 * fully signed in. The library checks the signature and expiry but not `aud` for extension tokens
 * (checkAudience: false), so it is checked here: a token minted for another app is not ours.
 * `dest` may come with or without a scheme; only a myshopify domain is a shop.
 */
const claims = z.object({
  aud: z.union([z.string(), z.array(z.string())]),
  dest: z.string().transform((dest) => dest.replace(/^https:\/\//, "").toLowerCase()).pipe(z.string().regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/)),
  sub: z.string().optional(),
});

const rateLimit = createStorefrontRateLimiter({ redis: producerRedis, prefix: config().redis.prefix });

/**
 * Remix sends OPTIONS to the loader: the library answers the extension's CORS preflight there (the block
 * runs on Shopify's origin). Anything else that is not a POST is told to use one.
 */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { cors } = await authenticate.public.customerAccount(request);
  return cors(jsonResponse({ error: "Use POST." }, { status: 405, headers: { ...PRIVATE, Allow: "POST" } }));
};

/**
 * POST /customer-account/order-help from the "Get help with this order" block on the order status
 * page, with the customer account session token as Bearer. Answers a short-lived signed hand-off for the
 * storefront's chat, only for the signed-in customer's own order in the shop the token names. The shop
 * comes from the token alone, never from the request.
 */
export const action = async ({ request, context }: ActionFunctionArgs) => {
  // A missing or invalid session token is answered with 401 by the library.
  const { sessionToken, cors } = await authenticate.public.customerAccount(request);
  const answer = (payload: unknown, status = 200, headers: Record<string, string> = {}) => cors(jsonResponse(payload, { status, headers: { ...PRIVATE, ...headers } }));

  const token = claims.safeParse(sessionToken);
  const audiences = token.success ? [token.data.aud].flat() : [];
  if (!token.success || !audiences.includes(config().shopify.apiKey)) return answer({ error: "This session token is not for this app." }, 401);
  const { dest: shop, sub } = token.data;
  // Not signed in (pre-authenticated order status page): nothing about any order is shared.
  if (!sub) return answer({ error: "Sign in to get help with this order.", reason: "not-signed-in" }, 403);
  const parsed = body.safeParse(await request.json().catch(() => null));
  if (!parsed.success) return answer({ error: "order_id is required." }, 400);

  // Before any Admin query; the socket's address, as this request does not come through Shopify's proxy.
  const socketAddress = typeof context?.remoteAddress === "string" ? context.remoteAddress : "unknown";
  try {
    const decision = await rateLimit({ shop, ip: socketAddress, customerId: sub });
    if (!decision.allowed) return answer({ error: "Too many requests." }, 429, { "Retry-After": String(decision.retryAfterSeconds) });
  } catch {
    return answer({ error: "Try again in a moment." }, 503, { "Retry-After": "5" });
  }

  let graphql;
  try {
    ({ admin: { graphql } } = await unauthenticated.admin(shop));
  } catch {
    // No offline session: the app is not installed on the shop this token names.
    return answer({ error: "This store does not have the app." }, 403);
  }
  try {
    const help = await mintOrderHelp({ graphql, appSecret: config().shopify.apiSecret, now: new Date() }, { shop, customerGid: sub, orderGid: parsed.data.order_id });
    if (!help.ok) {
      // Another customer's order and an unknown one answer alike: ids are not probed through this route.
      logger.info({ shop, reason: help.reason }, "order help refused");
      return answer({ error: "This order cannot be opened in the chat.", reason: help.reason === "not-yours" ? "not-found" : help.reason }, help.reason === "not-signed-in" ? 403 : 404);
    }
    return answer({ token: help.token, order_name: help.orderName, expires_at: help.expiresAt });
  } catch (error) {
    logger.warn({ shop, error: error instanceof Error ? error.name : "unknown" }, "order help unavailable");
    return answer({ error: "Try again in a moment." }, 503, { "Retry-After": "30" });
  }
};
