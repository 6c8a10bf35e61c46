import type { LoaderFunctionArgs } from "@remix-run/node";
import { authenticateAdminExtension, SHOPIFY_ID } from "../http/admin-extension.server";
import { customerBlock } from "../services/admin-blocks.server";
import { adminBlocksDeps } from "../services/admin-blocks-context.server";

// The customer page's block (admin.customer-details.block.render): the customer's recent conversations.
// Remix hands the CORS preflight (OPTIONS) to the loader too; authenticate.admin answers it (204).
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop, graphql, answer, notFound } = await authenticateAdminExtension(request);
  const customerId = params.customerId ?? "";
  if (!SHOPIFY_ID.test(customerId)) return notFound();
  return answer(() => customerBlock(adminBlocksDeps, graphql, shop, customerId));
};

