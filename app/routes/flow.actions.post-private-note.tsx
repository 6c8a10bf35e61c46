import type { ActionFunctionArgs } from "@remix-run/node";
import { flowActionDeps } from "../services/flow-action-context.server";
import { receiveFlowAction } from "../services/flow-actions.server";

// Shopify Flow's runs of the "post-private-note" action (extensions/post-private-note/shopify.extension.toml, runtime_url):
// a private note for the team on the customer's open conversation. Verified, recorded by run id, queued, answered at once.
export const action = ({ request }: ActionFunctionArgs) => {
  if (request.method !== "POST") return new Response("Method Not Allowed", { status: 405, headers: { Allow: "POST" } });
  return receiveFlowAction(flowActionDeps, "post-private-note", request);
};

export const loader = () => new Response("Method Not Allowed", { status: 405, headers: { Allow: "POST" } });
