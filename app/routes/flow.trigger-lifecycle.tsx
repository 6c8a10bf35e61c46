import type { ActionFunctionArgs } from "@remix-run/node";
import { flowTriggerLifecycleDeps } from "../services/flow-action-context.server";
import { receiveFlowTriggerLifecycle } from "../services/flow-trigger-lifecycle.server";

// Shopify Flow's trigger lifecycle callback (extensions/flow-trigger-usage/shopify.extension.toml, url):
// which of the app's triggers the shop's enabled workflows use. Verified, recorded, answered at once.
export const action = ({ request }: ActionFunctionArgs) => {
  if (request.method !== "POST") return new Response("Method Not Allowed", { status: 405, headers: { Allow: "POST" } });
  return receiveFlowTriggerLifecycle(flowTriggerLifecycleDeps, request);
};

export const loader = () => new Response("Method Not Allowed", { status: 405, headers: { Allow: "POST" } });
