import type { PrismaClient } from "@prisma/client";
import { z } from "zod";
import { jsonResponse } from "../http/json.server";
import type { Logger } from "../logger.server";
import { recordFlowTriggerUsage } from "../models/flow-trigger-usage.server";
import { findShop } from "../models/shop.server";
import { readSignedFlowRequest } from "../webhooks/flow-action-signature.server";
import { FLOW_TRIGGER_HANDLES, flowTriggerNamed } from "./flow-triggers.server";

/**
 * What Flow POSTs when a workflow that starts with one of the app's triggers is turned on or off
 * (shopify.dev, "Track Flow lifecycle events"): flow_trigger_definition_id, has_enabled_flow (whether
 * the shop has any enabled workflow with the trigger), shop_id, shopify_domain and an ISO 8601
 * timestamp. Signed like Flow's action requests (x-shopify-hmac-sha256 of the body with the app secret).
 */
const LifecycleCallbackSchema = z.looseObject({
  flow_trigger_definition_id: z.string().trim().min(1).max(255),
  has_enabled_flow: z.boolean(),
  shopify_domain: z.string().regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/),
  timestamp: z.iso.datetime({ offset: true }),
});

export type FlowTriggerLifecycleDeps = {
  db: PrismaClient;
  /** The app's client secret: Shopify signs Flow's requests with it. */
  appSecret: string;
  logger: Logger;
  /** Tells the workers to read the shop's usage again (announceFlowTriggerUsageChanged). */
  announceUsageChanged: (shop: string) => Promise<void>;
};

const refused = (status: number, error: string) => jsonResponse({ error }, { status });

/**
 * Records whether the shop uses the trigger, and answers 200 at once: Flow lets the merchant turn the
 * workflow on only after a prompt 2xx. 401 for a request Shopify did not sign; 400 for a body that is
 * not a lifecycle callback; 404 for a shop without the app. A callback older than the one recorded
 * (Flow may deliver them out of order) is acknowledged and changes nothing.
 */
export async function receiveFlowTriggerLifecycle(deps: FlowTriggerLifecycleDeps, request: Request): Promise<Response> {
  const signed = await readSignedFlowRequest(request, deps.appSecret);
  if ("refusal" in signed) {
    if (signed.unsigned) deps.logger.warn("Flow trigger lifecycle callback with a missing or wrong signature refused");
    return signed.refusal;
  }
  const parsed = LifecycleCallbackSchema.safeParse(signed.body);
  if (!parsed.success) return refused(400, `The lifecycle callback is missing or has invalid fields: ${parsed.error.issues.map((i) => i.path.join(".")).join(", ")}.`);
  const { flow_trigger_definition_id: trigger, has_enabled_flow: inUse, shopify_domain: shop, timestamp } = parsed.data;
  const installed = await findShop(deps.db, shop);
  if (!installed || installed.uninstalledAt) return refused(404, "Oscar Chat is not installed on this store.");

  const kind = flowTriggerNamed(trigger);
  const outcome = await recordFlowTriggerUsage(deps.db, { shop, trigger, inUse, reportedAt: new Date(timestamp) });
  // The id itself is the app's own declaration, never a customer's: safe to log.
  deps.logger.info({ shop, trigger: kind ? FLOW_TRIGGER_HANDLES[kind] : trigger, known: kind !== null, inUse, outcome }, "Flow trigger lifecycle callback");
  if (outcome === "recorded") {
    // Not told, a worker keeps the old answer for at most its cache's 30 s (flow-trigger-usage-cache.server.ts):
    // the change is recorded, so Flow is still answered 200.
    await deps.announceUsageChanged(shop).catch((error: unknown) => deps.logger.warn({ shop, error: (error as Error).message }, "could not tell the workers that Flow trigger usage changed"));
  }
  if (!kind) deps.logger.warn({ shop, trigger }, "Flow named a trigger the app does not know: every trigger is sent to this shop while it is in use");
  return jsonResponse({ ok: true });
}
