import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Kind, parse as parseGraphql } from "graphql";
import { readExtensionTomls } from "../../sim/shopify-admin/extension-tomls";
import { readAppToml, servedRoutes } from "./declarations";

/**
 * Checks the app's Shopify Flow extensions the way Shopify CLI 4.x loads them (Shopify/cli,
 * packages/app/src/cli/models/extensions/specifications/flow_trigger.ts and flow_action.ts,
 * services/flow/validation.ts, constants.ts, serialize-fields.ts, as of August 2026), plus what the
 * app itself relies on: runtime URLs served by a route, and English and French texts for every field.
 * Answers one sentence per problem (none when all is well).
 */

const HANDLE = /^[a-zA-Z0-9-]*$/;
const MAX_HANDLE = 50;
const TRIGGER_KEY = /^[a-zA-Z\s]*$/;
const COMMERCE_OBJECTS = ["customer_reference", "order_reference", "product_reference", "marketing_activity_reference", "abandonment_reference", "company_reference", "company_contact_reference"];
const TRIGGER_COMMERCE_OBJECTS = ["customer_reference", "order_reference", "product_reference", "company_reference", "company_contact_reference"];
const TRIGGER_TYPES = ["boolean", "email", "single_line_text_field", "url", "number_decimal"];
const ACTION_TYPES = ["boolean", "email", "multi_line_text_field", "number_integer", "single_line_text_field", "url", "number_decimal"];

type Field = { type?: unknown; key?: unknown; name?: unknown; description?: unknown; required?: unknown; [other: string]: unknown };
type ExtensionToml = {
  extensions?: { type?: string; handle?: string; name?: string; description?: string; runtime_url?: string; schema?: string; return_type_ref?: string }[];
  settings?: { fields?: Field[] };
};
type Locale = { name?: string; description?: string; fields?: Record<string, { name?: string; description?: string }> };

export type FlowExtension = { dir: string; type: "flow_trigger" | "flow_action"; handle: string; fields: Field[]; toml: ExtensionToml };

/** The key a field's value travels under: `<object>_id` for a commerce object, else its key. */
export const payloadKeyOf = (field: Field) => (typeof field.type === "string" && COMMERCE_OBJECTS.includes(field.type) ? field.type.replace(/_reference$/, "_id") : String(field.key));

export function readFlowExtensions(extensionsDir: string): FlowExtension[] {
  return readExtensionTomls<ExtensionToml>(extensionsDir).flatMap(({ dir, toml }) => {
    const type = toml.extensions?.[0]?.type;
    if (type !== "flow_trigger" && type !== "flow_action") return [];
    return [{ dir, type, handle: toml.extensions?.[0]?.handle ?? "", fields: toml.settings?.fields ?? [], toml }];
  });
}

function fieldProblems(extension: FlowExtension): string[] {
  const problems: string[] = [];
  extension.fields.forEach((field, index) => {
    const where = `${extension.dir}: field[${index}]`;
    const type = typeof field.type === "string" ? field.type : "";
    if (COMMERCE_OBJECTS.includes(type)) {
      const extra = Object.keys(field).filter((k) => !["type", "description", "required"].includes(k));
      if (extra.length) problems.push(`${where} (${type}) may not have ${extra.join(", ")}`);
      if (extension.type === "flow_trigger" && !TRIGGER_COMMERCE_OBJECTS.includes(type)) problems.push(`${where}: ${type} is not supported for Flow triggers`);
      return;
    }
    if (typeof field.key !== "string") problems.push(`${where} needs a key`);
    if (extension.type === "flow_trigger") {
      if (!TRIGGER_TYPES.includes(type)) problems.push(`${where}: type ${type} is not supported on Flow triggers`);
      if (typeof field.key === "string" && !TRIGGER_KEY.test(field.key)) problems.push(`${where}: key ${field.key} must contain only letters and spaces`);
    } else {
      if (!ACTION_TYPES.includes(type)) problems.push(`${where}: type ${type} is not supported on Flow actions`);
      if (typeof field.name !== "string") problems.push(`${where} needs a name`);
      const extra = Object.keys(field).filter((k) => !["type", "description", "key", "name", "required"].includes(k));
      if (extra.length) problems.push(`${where} may not have ${extra.join(", ")}`);
    }
  });
  return problems;
}

/** A URL Flow POSTs to (an action's runtime_url, the lifecycle callback's url): valid, and served by a route with an action. */
function postedUrlProblems(dir: string, field: string, url: unknown, appToml: string, appDir: string): string[] {
  if (typeof url !== "string") return [`${dir}: needs a ${field}`];
  // Shopify CLI: an absolute https URL, or a relative one with a single leading slash, no control characters.
  if (/[\r\n\t]/.test(url) || url.startsWith("//") || !(url.startsWith("/") || url.startsWith("https://"))) return [`${dir}: ${field} ${url} must be https or start with one slash`];
  const applicationUrl = readAppToml(appToml).application_url;
  const path = new URL(url, applicationUrl).pathname;
  const route = servedRoutes(appDir).find((r) => r.path === path && /export\s+(?:const|async\s+function|function)\s+action\b/.test(r.source));
  return route ? [] : [`${dir}: ${field} ${url} reaches ${path}, which no route with an action serves`];
}

function runtimeUrlProblems(extension: FlowExtension, appToml: string, appDir: string): string[] {
  return postedUrlProblems(extension.dir, "runtime_url", extension.toml.extensions?.[0]?.runtime_url, appToml, appDir);
}

/**
 * The trigger lifecycle callback (Shopify CLI's flow_trigger_lifecycle_callback: name, handle, url): at
 * most one, and required once the app declares triggers, since the app sends a trigger only to shops
 * whose workflows use it and learns that from this callback alone.
 */
export function lifecycleCallbackProblems({ extensionsDir, appToml, appDir }: { extensionsDir: string; appToml: string; appDir: string }): string[] {
  const declared = readExtensionTomls<{ extensions?: { type?: string; handle?: string; name?: string; url?: unknown }[] }>(extensionsDir).flatMap(({ dir, toml }) => {
    const extension = toml.extensions?.[0];
    return extension?.type === "flow_trigger_lifecycle_callback" ? [{ dir, ...extension }] : [];
  });
  const triggers = readFlowExtensions(extensionsDir).filter((e) => e.type === "flow_trigger");
  if (declared.length === 0) return triggers.length ? ["no flow_trigger_lifecycle_callback: the app would never learn that a workflow uses its triggers"] : [];
  if (declared.length > 1) return [`${declared.length} flow_trigger_lifecycle_callback extensions: Flow calls one`];
  const [callback] = declared;
  const problems: string[] = [];
  if (typeof callback.name !== "string" || !callback.name.trim()) problems.push(`${callback.dir}: name is required`);
  if (!callback.handle || callback.handle.length > MAX_HANDLE || !HANDLE.test(callback.handle)) problems.push(`${callback.dir}: handle "${callback.handle ?? ""}" is not a valid extension handle`);
  return [...problems, ...postedUrlProblems(callback.dir, "url", callback.url, appToml, appDir)];
}

function returnTypeProblems(extension: FlowExtension, extensionsDir: string): string[] {
  const { schema, return_type_ref: ref } = extension.toml.extensions?.[0] ?? {};
  if (!schema && !ref) return [];
  if (!schema || !ref) return [`${extension.dir}: schema and return_type_ref go together`];
  const file = join(extensionsDir, extension.dir, schema);
  if (!existsSync(file)) return [`${extension.dir}: schema ${schema} does not exist`];
  const types = parseGraphql(readFileSync(file, "utf8")).definitions.flatMap((d) => (d.kind === Kind.OBJECT_TYPE_DEFINITION ? [d.name.value] : []));
  return types.includes(ref) ? [] : [`${extension.dir}: return_type_ref ${ref} is not a type in ${schema}`];
}

function localeProblems(extension: FlowExtension, extensionsDir: string): string[] {
  const dir = join(extensionsDir, extension.dir, "locales");
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".json")) : [];
  const problems: string[] = [];
  // Shopify CLI's loadLocalesConfig: exactly one <locale>.default.json.
  if (files.filter((f) => f.endsWith(".default.json")).length !== 1) problems.push(`${extension.dir}: locales/ needs exactly one default locale file`);
  const read = (name: string): Locale | null => (files.includes(name) ? (JSON.parse(readFileSync(join(dir, name), "utf8")) as Locale) : null);
  const en = read("en.default.json");
  const fr = read("fr.json");
  if (!en) problems.push(`${extension.dir}: locales/en.default.json is missing`);
  if (!fr) problems.push(`${extension.dir}: locales/fr.json is missing`);
  const declared = extension.toml.extensions?.[0];
  if (en && (en.name !== declared?.name || en.description !== declared?.description)) problems.push(`${extension.dir}: locales/en.default.json does not say what the toml says`);
  for (const [locale, texts] of [["en", en], ["fr", fr]] as const) {
    if (!texts) continue;
    if (!texts.name?.trim() || !texts.description?.trim()) problems.push(`${extension.dir}: the ${locale} name or description is empty`);
    for (const field of extension.fields) {
      const text = texts.fields?.[payloadKeyOf(field)];
      if (!text?.name?.trim() || !text.description?.trim()) problems.push(`${extension.dir}: the ${locale} texts miss the field ${payloadKeyOf(field)}`);
    }
    const extra = Object.keys(texts.fields ?? {}).filter((key) => !extension.fields.some((f) => payloadKeyOf(f) === key));
    if (extra.length) problems.push(`${extension.dir}: the ${locale} texts name fields the toml does not declare: ${extra.join(", ")}`);
  }
  return problems;
}

export function flowExtensionProblems({ extensionsDir, appToml, appDir }: { extensionsDir: string; appToml: string; appDir: string }): string[] {
  const extensions = readFlowExtensions(extensionsDir);
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const extension of extensions) {
    const { handle } = extension;
    if (!handle || handle.length > MAX_HANDLE || !HANDLE.test(handle) || handle.startsWith("-") || handle.endsWith("-")) problems.push(`${extension.dir}: handle "${handle}" is not a valid extension handle`);
    if (seen.has(handle)) problems.push(`${extension.dir}: handle ${handle} is used twice`);
    seen.add(handle);
    if (typeof extension.toml.extensions?.[0]?.name !== "string") problems.push(`${extension.dir}: name is required`);
    problems.push(...fieldProblems(extension));
    if (extension.type === "flow_action") problems.push(...runtimeUrlProblems(extension, appToml, appDir), ...returnTypeProblems(extension, extensionsDir));
    problems.push(...localeProblems(extension, extensionsDir));
  }
  return problems;
}
