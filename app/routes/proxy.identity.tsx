import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { config } from "../config.server";
import { jsonResponse } from "../http/json.server";
import { logger } from "../logger.instance.server";
import { producerRedis } from "../queues/index.server";
import { authenticate } from "../shopify.server";
import { createStorefrontRateLimiter, shopperAddress } from "../storefront/rate-limit.server";
import { identifyLoggedInShopper } from "../storefront/shopper-identity.server";

// The answer is about one shopper: no shared cache may keep it, no browser cache may replay it.
const PRIVATE = { "Cache-Control": "private, no-store" };

const loggedInCustomerId = z.string().regex(/^\d{1,20}$/);

const rateLimit = createStorefrontRateLimiter({ redis: producerRedis, prefix: config().redis.prefix });

/**
 * App proxy: the storefront's /apps/oscar-chat/identity. Shopify signs the query and names the
 * logged-in customer (`logged_in_customer_id`, empty for visitors); that is the only source of who
 * the shopper is. Answers `{ identity, expires_at }` for a logged-in customer, or `{ identity: null }`
 * with nothing personal.
 */
export const loader = async ({ request, context }: LoaderFunctionArgs) => {
  const { admin, session } = await authenticate.public.appProxy(request);
  // Shopify signs repeated parameters joined by commas, so a second `logged_in_customer_id` (one a
  // shopper typed into the storefront URL) can arrive correctly signed. Exactly one or none: two,
  // even equal, are a forgery attempt and identify nobody.
  const claimed = new URL(request.url).searchParams.getAll("logged_in_customer_id");
  if (claimed.length > 1) {
    return jsonResponse({ identity: null, error: "logged_in_customer_id must appear at most once." }, { status: 400, headers: PRIVATE });
  }
  const customerId = loggedInCustomerId.safeParse(claimed[0]);
  if (!admin || !session) return jsonResponse({ identity: null }, { headers: PRIVATE });

  // Limits come before any Admin API query; a Redis that cannot count fails closed.
  const socketAddress = typeof context?.remoteAddress === "string" ? context.remoteAddress : undefined;
  try {
    const decision = await rateLimit({ shop: session.shop, ip: shopperAddress(request, socketAddress), customerId: customerId.success ? customerId.data : null });
    if (!decision.allowed) {
      return jsonResponse({ identity: null, error: "Too many requests." }, { status: 429, headers: { ...PRIVATE, "Retry-After": String(decision.retryAfterSeconds) } });
    }
  } catch {
    return jsonResponse({ identity: null }, { status: 503, headers: { ...PRIVATE, "Retry-After": "5" } });
  }
  if (!customerId.success) return jsonResponse({ identity: null }, { headers: PRIVATE });

  try {
    const signed = await identifyLoggedInShopper(
      { graphql: admin.graphql, appSecret: config().shopify.apiSecret, now: new Date() },
      { shop: session.shop, customerId: customerId.data },
    );
    return jsonResponse(signed ? { identity: signed.identity, expires_at: signed.expiresAt } : { identity: null }, { headers: PRIVATE });
  } catch (error) {
    // Only the shop and the failure's kind: the customer stays out of the logs.
    logger.warn({ shop: session.shop, error: error instanceof Error ? error.name : "unknown" }, "shopper identity unavailable");
    return jsonResponse({ identity: null }, { status: 503, headers: { ...PRIVATE, "Retry-After": "30" } });
  }
};
