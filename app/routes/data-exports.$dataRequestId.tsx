import type { LoaderFunctionArgs } from "@remix-run/node";
import { jsonResponse } from "../http/json.server";
import { authenticate } from "../shopify.server";
import { lifecycle } from "../webhooks/shopify-lifecycle.server";

// One customer data export as a JSON download, for the signed-in shop only.
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const id = params.dataRequestId ?? "";
  const data = await lifecycle().exports.read(session.shop, id);
  if (!data) return jsonResponse({ error: "No export with that data request id (exports are kept 30 days)." }, { status: 404, headers: { "Cache-Control": "no-store" } });
  return jsonResponse(data, {
    headers: { "Cache-Control": "no-store", "Content-Disposition": `attachment; filename="customer-data-request-${id}.json"` },
  });
};
