import type { LoaderFunctionArgs } from "@remix-run/node";
import { authenticateAdminExtension, SHOPIFY_ID } from "../http/admin-extension.server";
import { orderBlock } from "../services/admin-blocks.server";
import { adminBlocksDeps } from "../services/admin-blocks-context.server";

// The order page's block (admin.order-details.block.render): the customer's conversations around the order.
// Remix hands the CORS preflight (OPTIONS) to the loader too; authenticate.admin answers it (204).
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop, graphql, answer, notFound } = await authenticateAdminExtension(request);
  const orderId = params.orderId ?? "";
  if (!SHOPIFY_ID.test(orderId)) return notFound();
  return answer(() => orderBlock(adminBlocksDeps, graphql, shop, orderId));
};

