import type { LoaderFunctionArgs } from "@remix-run/node";
import { jsonResponse } from "../http/json.server";
import { authenticate } from "../shopify.server";
import { lifecycle } from "../webhooks/shopify-lifecycle.server";

// The shop's customer data exports (customers/data_request), newest first, for the admin to list.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const exports = await lifecycle().exports.list(session.shop);
  return jsonResponse({ exports }, { headers: { "Cache-Control": "no-store" } });
};
