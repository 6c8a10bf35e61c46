import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { config } from "../config.server";
import { jsonResponse } from "../http/json.server";
import { logger } from "../logger.instance.server";
import { authenticate } from "../shopify.server";
import { identifyLoggedInShopper } from "../storefront/shopper-identity.server";

// The answer is about one shopper: no shared cache may keep it, no browser cache may replay it.
const PRIVATE = { "Cache-Control": "private, no-store" };

const loggedInCustomerId = z.string().regex(/^\d{1,20}$/);

/**
 * App proxy: the storefront's /apps/oscar-chat/identity. Shopify signs the query and names the
 * logged-in customer (`logged_in_customer_id`, empty for visitors); that is the only source of who
 * the shopper is. Answers the signed identify payload, or `{ identity: null }` with nothing personal.
 */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { admin, session } = await authenticate.public.appProxy(request);
  const customerId = loggedInCustomerId.safeParse(new URL(request.url).searchParams.get("logged_in_customer_id"));
  if (!customerId.success || !admin || !session) return jsonResponse({ identity: null }, { headers: PRIVATE });

  try {
    const identity = await identifyLoggedInShopper(
      { graphql: admin.graphql, appSecret: config().shopify.apiSecret, now: new Date() },
      { shop: session.shop, customerId: customerId.data },
    );
    return jsonResponse({ identity }, { headers: PRIVATE });
  } catch (error) {
    // Only the shop and the failure's kind: the customer stays out of the logs.
    logger.warn({ shop: session.shop, error: error instanceof Error ? error.name : "unknown" }, "shopper identity unavailable");
    return jsonResponse({ identity: null }, { status: 503, headers: { ...PRIVATE, "Retry-After": "30" } });
  }
};
