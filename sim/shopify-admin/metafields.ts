// Metafields as Shopify keeps them: `metafieldsSet` writes up to 25 at once, all or nothing;
// "$app" (or no namespace) means the calling app's reserved namespace "app--<app id>".
import { createHash } from "node:crypto";
import type { MetafieldFixture, StoreFixture } from "./fixtures";
import { gid, legacyIdOf } from "./gid";
import { findNode } from "./store-lookup";

export const METAFIELDS_SET_LIMIT = 25;

export type MetafieldsSetInput = { ownerId: string; namespace?: string | null; key: string; type?: string | null; value: string; compareDigest?: string | null };
export type MetafieldsSetUserError = { field: string[]; message: string; code: string; elementIndex: number | null };

const OWNER_TYPES: Record<string, string> = {
  AppInstallation: "API_PERMISSION",
  Collection: "COLLECTION",
  Customer: "CUSTOMER",
  Order: "ORDER",
  Page: "PAGE",
  Product: "PRODUCT",
  ProductVariant: "PRODUCTVARIANT",
  Shop: "SHOP",
};

export function resolveNamespace(store: StoreFixture, namespace: string | null | undefined): string {
  const appNamespace = `app--${legacyIdOf(store.appInstallation.app.id)}`;
  if (!namespace || namespace === "$app") return appNamespace;
  if (namespace.startsWith("$app:")) return `${appNamespace}--${namespace.slice(5)}`;
  return namespace;
}

export function metafieldsOf(store: StoreFixture, ownerId: string, namespace?: string | null, keys?: readonly string[] | null): MetafieldFixture[] {
  const wantedNamespace = namespace === undefined || namespace === null ? null : resolveNamespace(store, namespace);
  return store.metafields.filter(
    (metafield) =>
      metafield.ownerId === ownerId &&
      (wantedNamespace === null || metafield.namespace === wantedNamespace) &&
      (!keys || keys.includes(`${metafield.namespace}.${metafield.key}`) || keys.includes(metafield.key)),
  );
}

/** `Metafield.jsonValue`: the value decoded by its type, as Shopify serves it. */
export function jsonValueOf(metafield: MetafieldFixture): unknown {
  if (metafield.type === "json" || metafield.type.startsWith("list.")) return JSON.parse(metafield.value);
  if (metafield.type === "number_integer") return Number.parseInt(metafield.value, 10);
  if (metafield.type === "boolean") return metafield.value === "true";
  return metafield.value;
}

function valueProblem(type: string, value: string): string | null {
  if (type === "json" || type.startsWith("list.")) {
    try {
      JSON.parse(value);
      return null;
    } catch {
      return "Value is invalid JSON.";
    }
  }
  if (type === "number_integer" && !/^-?\d+$/.test(value)) return "Value must be an integer.";
  if (type === "number_decimal" && !/^-?\d+(\.\d+)?$/.test(value)) return "Value must be a decimal.";
  if (type === "boolean" && value !== "true" && value !== "false") return "Value must be true or false.";
  return null;
}

export function metafieldsSet(store: StoreFixture, inputs: readonly MetafieldsSetInput[], now: Date) {
  const userErrors: MetafieldsSetUserError[] = [];
  if (inputs.length > METAFIELDS_SET_LIMIT) {
    userErrors.push({ field: ["metafields"], message: `Exceeded the maximum metafields input limit of ${METAFIELDS_SET_LIMIT}.`, code: "LESS_THAN_OR_EQUAL_TO", elementIndex: null });
    return { metafields: [], userErrors };
  }
  const planned = inputs.map((input, index) => {
    const problem = (field: string, message: string, code: string) => userErrors.push({ field: ["metafields", String(index), field], message, code, elementIndex: index });
    const namespace = resolveNamespace(store, input.namespace);
    const existing = store.metafields.find((m) => m.ownerId === input.ownerId && m.namespace === namespace && m.key === input.key);
    const type = input.type ?? existing?.type;
    if (!findNode(store, input.ownerId)) problem("ownerId", "Owner does not exist.", "INVALID");
    if (input.key.length < 2) problem("key", "Key is too short (minimum is 2 characters).", "TOO_SHORT");
    if (!type) problem("type", "Type can't be blank.", "BLANK");
    else {
      const message = valueProblem(type, input.value);
      if (message) problem("value", message, "INVALID_VALUE");
    }
    if (input.compareDigest && existing && existing.compareDigest !== input.compareDigest) {
      problem("compareDigest", "The resource has been updated since it was loaded. Try again with an updated `compareDigest` value.", "STALE_OBJECT");
    }
    return { input, namespace, existing, type: type ?? "" };
  });
  // metafieldsSet is atomic: one bad input and nothing is written.
  if (userErrors.length > 0) return { metafields: [], userErrors };

  const at = now.toISOString();
  const written = planned.map(({ input, namespace, existing, type }) => {
    const compareDigest = createHash("sha256").update(`${type}:${input.value}`).digest("hex");
    if (existing) return Object.assign(existing, { type, value: input.value, compareDigest, updatedAt: at });
    const owner = findNode(store, input.ownerId);
    const created: MetafieldFixture = {
      __typename: "Metafield",
      id: gid("Metafield", 30_000_000_000_000 + store.metafields.length + 1),
      ownerId: input.ownerId,
      ownerType: OWNER_TYPES[owner?.__typename ?? ""] ?? "SHOP",
      namespace,
      key: input.key,
      type,
      value: input.value,
      compareDigest,
      createdAt: at,
      updatedAt: at,
    };
    store.metafields.push(created);
    return created;
  });
  return { metafields: written, userErrors };
}
