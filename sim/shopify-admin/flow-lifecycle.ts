// Shopify Flow's trigger lifecycle callback as Flow sends it when a merchant turns on (or off) a
// workflow that starts with one of the app's triggers: a POST to the url the app's
// flow_trigger_lifecycle_callback extension declares (read from its extensions/, as Shopify knows the
// deployed app version; a relative url is resolved against the app's URL, as Shopify CLI does), signed
// like Flow's action requests. Used by tests and by the sandbox, where "the merchant" turns workflows on.
//
// Source: shopify.dev, "Track Flow lifecycle events" (flow_trigger_definition_id, has_enabled_flow,
// shop_id, shopify_domain, timestamp; newer timestamps take precedence; a non-2xx answer keeps the
// merchant from turning the workflow on). **assumed**: flow_trigger_definition_id is the trigger
// extension's handle; the signature is x-shopify-hmac-sha256, base64 HMAC-SHA256 of the body with the
// app's client secret, as for Flow actions.
import { createHmac } from "node:crypto";
import { readExtensionTomls } from "./extension-tomls";

type ExtensionToml = { extensions?: { type?: string; url?: string }[] };

/** The lifecycle callback url the app declares under its extensions/ folder, or null if it declares none. */
export function readFlowLifecycleCallbackUrl(extensionsDir: string): string | null {
  for (const { toml } of readExtensionTomls<ExtensionToml>(extensionsDir)) {
    const extension = toml.extensions?.[0];
    if (extension?.type === "flow_trigger_lifecycle_callback" && typeof extension.url === "string") return extension.url;
  }
  return null;
}

export type FlowWorkflowChange = {
  appUrl: string;
  apiSecret: string;
  extensionsDir: string;
  shop: string;
  /** The trigger's extension handle. */
  trigger: string;
  /** Whether, after the change, the shop has an enabled workflow that starts with the trigger. */
  enabled: boolean;
  at?: Date;
};

/** Sends the callback Flow sends for the change; Flow keeps the workflow off unless the answer is 2xx. */
export async function sendFlowTriggerLifecycle(change: FlowWorkflowChange): Promise<Response> {
  const url = readFlowLifecycleCallbackUrl(change.extensionsDir);
  if (!url) throw new Error("The app declares no flow_trigger_lifecycle_callback extension: Flow has nowhere to say a workflow uses its triggers.");
  const body = JSON.stringify({
    flow_trigger_definition_id: change.trigger,
    has_enabled_flow: change.enabled,
    shop_id: shopIdOf(change.shop),
    shopify_domain: change.shop,
    timestamp: (change.at ?? new Date()).toISOString(),
  });
  return fetch(new URL(url, change.appUrl), {
    method: "POST",
    headers: { "content-type": "application/json", "x-shopify-hmac-sha256": createHmac("sha256", change.apiSecret).update(body).digest("base64") },
    body,
  });
}

/** A stable numeric id for a shop domain (the fake has no shop ids of its own). */
function shopIdOf(shop: string): number {
  let id = 0;
  for (const char of shop) id = (id * 31 + char.charCodeAt(0)) % 2_147_483_647;
  return id;
}
