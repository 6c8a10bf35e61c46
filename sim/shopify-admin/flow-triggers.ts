// Shopify Flow's `flowTriggerReceive` as the fake answers it: the handle must be a flow_trigger the app
// declares (read from its extensions/, as Shopify knows the deployed app version), and the payload must
// fit that trigger's declared fields. Every call is recorded, accepted or not, for tests and the sandbox.
//
// Sources: shopify.dev "Flow trigger reference" (fields, reference fields sent as `customer_id` /
// `order_id` / `product_id`, the mutation), the Admin API's FlowTriggerReceivePayload (userErrors with
// field and message), Shopify CLI's flow specifications (trigger field types and key rules).
// **assumed** where the docs give no exact rule: the payload limit is 50,000 bytes of JSON; reference
// values are the legacy numeric id (the docs' examples send numbers); a declared field may be left out
// (a workflow using it then sees no value); the exact wording of each userError.
import { readExtensionTomls } from "./extension-tomls";
import type { StoreFixture } from "./fixtures";
import { gid } from "./gid";

export const FLOW_TRIGGER_PAYLOAD_LIMIT_BYTES = 50_000;

/** Reference field types a trigger may declare, and the payload key each one uses (Shopify CLI serialize-fields.ts). */
const REFERENCE_KEYS: Record<string, string> = {
  customer_reference: "customer_id",
  order_reference: "order_id",
  product_reference: "product_id",
  company_reference: "company_id",
  company_contact_reference: "company_contact_id",
};

export type FlowTriggerField = { key: string; type: string };
export type FlowTriggerDeclaration = { handle: string; name: string; fields: FlowTriggerField[] };
export type FlowTriggerUserError = { field: string[] | null; message: string };
export type FlowTriggerCall = {
  shop: string;
  handle: string | null;
  payload: unknown;
  accepted: boolean;
  userErrors: FlowTriggerUserError[];
  at: string;
};

type ExtensionToml = { extensions?: { type?: string; handle?: string; name?: string }[]; settings?: { fields?: { type?: string; key?: string }[] } };

/** The flow_trigger extensions under an app's extensions/ folder, as deployed. */
export function readFlowTriggerDeclarations(extensionsDir: string): FlowTriggerDeclaration[] {
  return readExtensionTomls<ExtensionToml>(extensionsDir).flatMap(({ toml }) => {
    const extension = toml.extensions?.[0];
    if (extension?.type !== "flow_trigger" || !extension.handle) return [];
    const fields = (toml.settings?.fields ?? []).map((field) => ({ type: field.type ?? "", key: REFERENCE_KEYS[field.type ?? ""] ?? field.key ?? "" }));
    return [{ handle: extension.handle, name: extension.name ?? extension.handle, fields }];
  });
}

/** The store's record a reference names, by its legacy id. */
function referenceExists(store: StoreFixture, type: string, id: number): boolean {
  if (type === "customer_reference") return store.customers.some((c) => c.id === gid("Customer", id));
  if (type === "order_reference") return store.orders.some((o) => o.id === gid("Order", id));
  if (type === "product_reference") return store.products.some((p) => p.id === gid("Product", id));
  return false;
}

function valueProblem(store: StoreFixture, field: FlowTriggerField, value: unknown): string | null {
  if (field.type in REFERENCE_KEYS) {
    if (typeof value !== "number" || !Number.isSafeInteger(value) || value <= 0) return `${field.key} must be the resource's numeric id.`;
    return referenceExists(store, field.type, value) ? null : `${field.key} ${value} does not exist.`;
  }
  switch (field.type) {
    case "boolean":
      return typeof value === "boolean" ? null : `${field.key} must be a boolean.`;
    case "number_decimal":
      return typeof value === "number" && Number.isFinite(value) ? null : `${field.key} must be a number.`;
    case "email":
      return typeof value === "string" && /^[^@\s]+@[^@\s]+$/.test(value) ? null : `${field.key} must be an email address.`;
    case "url":
      return typeof value === "string" && /^https?:\/\/[^\s]+$/.test(value) && URL.canParse(value) ? null : `${field.key} must be an absolute URL.`;
    case "single_line_text_field":
      return typeof value === "string" && !/[\r\n]/.test(value) ? null : `${field.key} must be a single line of text.`;
    default:
      return `${field.key} has a type Flow triggers do not support.`;
  }
}

/** Checks one flowTriggerReceive call; answers Shopify's FlowTriggerReceivePayload and records the call. */
export function flowTriggerReceive(
  store: StoreFixture,
  declarations: readonly FlowTriggerDeclaration[],
  record: (call: FlowTriggerCall) => void,
  args: { handle?: unknown; payload?: unknown; body?: unknown },
  now: Date,
): { userErrors: FlowTriggerUserError[] } {
  const userErrors: FlowTriggerUserError[] = [];
  const handle = typeof args.handle === "string" ? args.handle : null;
  const declaration = declarations.find((d) => d.handle === handle);
  if (args.body !== undefined && args.body !== null) userErrors.push({ field: ["body"], message: "body is deprecated: send handle and payload." });
  if (!handle) userErrors.push({ field: ["handle"], message: "handle is required." });
  else if (!declaration) userErrors.push({ field: ["handle"], message: `No Flow trigger with handle '${handle}' is declared by this app.` });

  const payload = args.payload;
  if (payload === null || typeof payload !== "object" || Array.isArray(payload)) {
    userErrors.push({ field: ["payload"], message: "payload must be a JSON object." });
  } else if (Buffer.byteLength(JSON.stringify(payload)) > FLOW_TRIGGER_PAYLOAD_LIMIT_BYTES) {
    userErrors.push({ field: ["payload"], message: `payload exceeds the ${FLOW_TRIGGER_PAYLOAD_LIMIT_BYTES / 1000} KB limit.` });
  } else if (declaration) {
    for (const [key, value] of Object.entries(payload)) {
      const field = declaration.fields.find((f) => f.key === key);
      const problem = field ? valueProblem(store, field, value) : `${key} is not a field of the trigger '${declaration.handle}'.`;
      if (problem) userErrors.push({ field: ["payload", key], message: problem });
    }
  }
  record({ shop: store.shop.myshopifyDomain, handle, payload: payload ?? null, accepted: userErrors.length === 0, userErrors, at: now.toISOString() });
  return { userErrors };
}
