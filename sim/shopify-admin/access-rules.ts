// What an app may read, as Shopify decides it field by field: the access scopes its token was granted,
// the 60-day order window without `read_all_orders`, and protected customer data the app was (or was
// not) approved for in the Partner Dashboard. A denied field answers null with an ACCESS_DENIED error
// at its path (HTTP 200, the rest of the data intact), as Shopify does.
import { getNamedType, GraphQLError, isObjectType, type GraphQLNamedType, type GraphQLResolveInfo } from "graphql";
import { isConnectionType } from "./cost";
import type { OrderFixture } from "./fixtures";
import { DAY_MS } from "./time";

/**
 * Scope each resource needs. Source: the "Requires `read_…` access scope" line on each object's page
 * in https://shopify.dev/docs/api/admin-graphql (Customer, Order, Product, Collection, Page,
 * OnlineStoreTheme). Assumption: ShopPolicy needs read_legal_policies (the scope Shopify names for
 * legal policies); a resource missing here is readable with any token.
 */
const SCOPES_BY_TYPE: Record<string, readonly string[]> = {
  Customer: ["read_customers", "write_customers"],
  Order: ["read_orders", "write_orders"],
  Product: ["read_products", "write_products"],
  ProductVariant: ["read_products", "write_products"],
  Collection: ["read_products", "write_products"],
  Page: ["read_content", "write_content", "read_online_store_pages"],
  OnlineStoreTheme: ["read_themes", "write_themes"],
  ShopPolicy: ["read_legal_policies", "write_legal_policies"],
};

/**
 * Scope each mutation the fake models needs (each mutation's page on shopify.dev, "Requires … access
 * scope"): orders' writes need write_orders, discounts write_discounts. Assumption: tracking updates
 * need one of the fulfillment-order write scopes, as Shopify's other fulfillment mutations do.
 */
const SCOPES_BY_MUTATION: Record<string, readonly string[]> = {
  orderCancel: ["write_orders"],
  refundCreate: ["write_orders"],
  orderUpdate: ["write_orders"],
  discountCodeBasicCreate: ["write_discounts"],
  fulfillmentTrackingInfoUpdate: ["write_merchant_managed_fulfillment_orders", "write_assigned_fulfillment_orders", "write_third_party_fulfillment_orders"],
};

/** Shopify's documentation link for scope errors (https://shopify.dev/changelog/new-error-messages-for-graphql-operations-without-necessary-access-scopes). */
const SCOPES_DOCUMENTATION = "https://shopify.dev/api/usage/access-scopes";
const PROTECTED_DATA_DOCUMENTATION = "https://shopify.dev/docs/apps/launch/protected-customer-data";

/** Without `read_all_orders` only orders from the last 60 days exist for the app (Order object's note on shopify.dev). */
export const ORDER_WINDOW_DAYS = 60;

export type ProtectedCustomerField = "name" | "email" | "phone" | "address";
export const PROTECTED_CUSTOMER_FIELDS: readonly ProtectedCustomerField[] = ["name", "email", "phone", "address"];

/**
 * What the app was approved for in the Partner Dashboard (https://shopify.dev/docs/apps/launch/protected-customer-data):
 * level 0 no customer data, level 1 customer data without name/email/phone/address, level 2 with the
 * fields listed (all four when none are listed).
 */
export type ProtectedCustomerDataAccess = { level: 0 | 1 | 2; fields?: readonly ProtectedCustomerField[] };
export const FULLY_APPROVED: ProtectedCustomerDataAccess = { level: 2 };

/** Resources that are protected customer data as a whole (level 1 needed to see them at all). */
const PROTECTED_TYPES = new Set(["Customer", "Order"]);

/** Fields holding one kind of level-2 data, by type. MailingAddress is an address as a whole. */
const PROTECTED_FIELDS: Record<string, Record<string, ProtectedCustomerField>> = {
  Customer: {
    firstName: "name", lastName: "name", email: "email", defaultEmailAddress: "email", phone: "phone", defaultPhoneNumber: "phone",
    defaultAddress: "address", addresses: "address", addressesV2: "address",
  },
  Order: { email: "email", phone: "phone", shippingAddress: "address", billingAddress: "address", displayAddress: "address" },
};

/** The value Shopify puts in a non-null field it will not show (displayName, per the 2026-12-01 changelog "displayName no longer exposes unapproved email or phone"). */
export const REDACTED = "•••";

export type AccessContext = {
  grantedScopes: readonly string[];
  protectedData: ProtectedCustomerDataAccess;
  now: () => number;
};

export function approvedFields(access: ProtectedCustomerDataAccess): readonly ProtectedCustomerField[] {
  if (access.level < 2) return [];
  return access.fields ?? PROTECTED_CUSTOMER_FIELDS;
}

function nodeTypeOf(type: GraphQLNamedType): string {
  if (!isConnectionType(type) || !isObjectType(type)) return type.name;
  const nodes = type.getFields().nodes ?? type.getFields().edges;
  return nodes ? getNamedType(nodes.type).name.replace(/Edge$/, "") : type.name;
}

function accessDenied(message: string, extensions: Record<string, unknown>): GraphQLError {
  return new GraphQLError(message, { extensions: { code: "ACCESS_DENIED", ...extensions } });
}

/**
 * The error a field answers instead of its value, or null when the app may read it. Scope errors
 * follow https://shopify.dev/changelog/new-error-messages-for-graphql-operations-without-necessary-access-scopes;
 * protected data errors follow the "example API requests" of the protected customer data page
 * (assumption: the wording "This app is not approved to access the X object" / "to use the X field").
 */
export function deniedField(info: GraphQLResolveInfo, access: AccessContext): GraphQLError | null {
  const mutationScopes = info.parentType === info.schema.getMutationType() ? SCOPES_BY_MUTATION[info.fieldName] : undefined;
  if (mutationScopes && !mutationScopes.some((scope) => access.grantedScopes.includes(scope))) {
    const requiredAccess = `\`${mutationScopes[0]}\` access scope.`;
    return accessDenied(`Access denied for ${info.fieldName} field. Required access: ${requiredAccess}`, { documentation: SCOPES_DOCUMENTATION, requiredAccess });
  }
  const resource = nodeTypeOf(getNamedType(info.returnType));
  const scopes = SCOPES_BY_TYPE[resource];
  if (scopes && !scopes.some((scope) => access.grantedScopes.includes(scope))) {
    const requiredAccess = `\`${scopes[0]}\` access scope.`;
    return accessDenied(`Access denied for ${info.fieldName} field. Required access: ${requiredAccess}`, { documentation: SCOPES_DOCUMENTATION, requiredAccess });
  }
  if (PROTECTED_TYPES.has(resource) && access.protectedData.level === 0) {
    return accessDenied(`This app is not approved to access the ${resource} object. See ${PROTECTED_DATA_DOCUMENTATION} for more details.`, { documentation: PROTECTED_DATA_DOCUMENTATION });
  }
  const kind = PROTECTED_FIELDS[info.parentType.name]?.[info.fieldName];
  if (kind && !approvedFields(access.protectedData).includes(kind)) {
    return accessDenied(`This app is not approved to use the ${info.fieldName} field. See ${PROTECTED_DATA_DOCUMENTATION} for more details.`, { documentation: PROTECTED_DATA_DOCUMENTATION });
  }
  return null;
}

/**
 * Customer.displayName as an app with this approval sees it: the name, else the email, else the phone,
 * each only when approved, "•••" otherwise, "" when the customer has none (changelog above).
 * Assumption: a name the app may not read is replaced the same way as an email or phone.
 */
export function visibleDisplayName(customer: { firstName: string | null; lastName: string | null; email: string | null; phone: string | null }, access: ProtectedCustomerDataAccess): string {
  const approved = approvedFields(access);
  const name = [customer.firstName, customer.lastName].filter(Boolean).join(" ");
  const [value, kind] = name ? [name, "name" as const] : customer.email ? [customer.email, "email" as const] : customer.phone ? [customer.phone, "phone" as const] : ["", null];
  if (!kind) return "";
  return approved.includes(kind) ? value : REDACTED;
}

/** Orders the app can see: all with `read_all_orders`, else only those created in the last 60 days. */
export function visibleOrders(orders: readonly OrderFixture[], access: AccessContext): OrderFixture[] {
  if (access.grantedScopes.includes("read_all_orders")) return [...orders];
  const since = access.now() - ORDER_WINDOW_DAYS * DAY_MS;
  return orders.filter((order) => Date.parse(order.createdAt) >= since);
}

/**
 * The scopes the app's configuration declares (https://shopify.dev/docs/apps/build/authentication-authorization/app-installation/manage-access-scopes):
 * `required` are granted at install and cannot be taken back; `optional` can only be requested after
 * install, and the merchant may grant, decline or later revoke them.
 */
export type DeclaredScopes = { required: readonly string[]; optional: readonly string[] };

/** Thrown when an app asks for, or gives back, a scope its configuration does not allow it to. */
export class ScopeChangeRefused extends Error {}

/**
 * The scopes granted after the merchant approved `requested`. Only declared optional scopes can be
 * requested after install (Shopify's grant screen refuses others).
 */
export function grantOptional(granted: readonly string[], requested: readonly string[], declared: DeclaredScopes): string[] {
  const undeclared = requested.filter((scope) => !declared.optional.includes(scope) && !declared.required.includes(scope));
  if (undeclared.length) throw new ScopeChangeRefused(`${undeclared.join(", ")} is not declared in the app's optional_scopes`);
  return [...new Set([...granted, ...requested])];
}

/**
 * The scopes granted after `revoked` were taken back. Assumption from appRevokeAccessScopes'
 * documented errors (CANNOT_REVOKE_REQUIRED_SCOPES, CANNOT_REVOKE_UNDECLARED_SCOPES): only optional
 * scopes can be revoked.
 */
export function revokeOptional(granted: readonly string[], revoked: readonly string[], declared: DeclaredScopes): string[] {
  const required = revoked.filter((scope) => declared.required.includes(scope));
  if (required.length) throw new ScopeChangeRefused(`${required.join(", ")} is required and cannot be revoked`);
  const undeclared = revoked.filter((scope) => !declared.optional.includes(scope));
  if (undeclared.length) throw new ScopeChangeRefused(`${undeclared.join(", ")} is not declared in the app's optional_scopes`);
  return granted.filter((scope) => !revoked.includes(scope));
}
