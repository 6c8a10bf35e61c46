import type { ActionFunctionArgs } from "@remix-run/node";
import { ingestOscarWebhook } from "../services/oscar-ingest.server";
import { oscarIngestDeps } from "../webhooks/oscar-fast-path.server";

// Oscar's deliveries for one shop: verified, queued, answered. In production server.mjs answers
// them before Remix (same service, less overhead); this route serves `remix vite:dev` and fallbacks.
export const action = async ({ request, params }: ActionFunctionArgs) => {
  if (request.method !== "POST") return new Response("Method Not Allowed", { status: 405, headers: { Allow: "POST" } });
  return ingestOscarWebhook(oscarIngestDeps, params.ingestKey ?? "", request);
};

export const loader = () => new Response("Method Not Allowed", { status: 405, headers: { Allow: "POST" } });
