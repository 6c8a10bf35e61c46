import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { authenticateAdminExtension, SHOPIFY_ID } from "../http/admin-extension.server";
import { messageCustomer } from "../services/admin-blocks.server";
import { adminBlocksDeps } from "../services/admin-blocks-context.server";
import { AdminAccessDenied } from "../shopify/admin-graphql.server";

const MessageBody = z.object({
  conversationId: z.string().min(1).max(200),
  content: z.string().trim().min(1).max(2000),
  // Chosen by the action when the merchant opens it: one message however often the send is retried.
  requestId: z.string().uuid(),
});

const STATUS_BY_REASON = { "not-connected": 409, "conversation-resolved": 409, "oscar-unavailable": 503 } as const;

// The customer page's action (admin.customer-details.action.render): "Message this customer in chat".
export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { shop, graphql, json, notFound } = await authenticateAdminExtension(request);
  if (request.method !== "POST") return json({ error: "method-not-allowed" }, 405);
  const customerId = params.customerId ?? "";
  if (!SHOPIFY_ID.test(customerId)) return notFound();
  const body = MessageBody.safeParse(await request.json().catch(() => null));
  if (!body.success) return json({ error: "invalid-message" }, 400);
  const outcome = await messageCustomer(adminBlocksDeps, graphql, shop, customerId, body.data).catch((error) => {
    if (error instanceof AdminAccessDenied) return "withheld" as const;
    throw error;
  });
  if (outcome === "withheld") return json({ error: "customer-data-withheld" }, 403);
  if (!outcome) return notFound();
  return outcome.sent ? json(outcome) : json(outcome, STATUS_BY_REASON[outcome.reason]);
};

// Remix hands the CORS preflight (OPTIONS) to the loader, not the action: authenticate.admin answers
// it (204 with the CORS headers) before the browser sends the POST. A GET here is 405.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { json } = await authenticateAdminExtension(request);
  return json({ error: "method-not-allowed" }, 405);
};
