// How the fake answers fields from fixture data. Fixture records carry Admin API field names, so
// most fields are read as they are; this file holds the rest: root fields, relations between
// records, derived values, and the connection/placeholder rules every field goes through.
import {
  execute,
  getNamedType,
  isAbstractType,
  isObjectType,
  responsePathAsArray,
  type GraphQLFieldResolver,
  type GraphQLNamedType,
  type GraphQLResolveInfo,
  type GraphQLTypeResolver,
} from "graphql";
import { deniedField, visibleDisplayName, visibleOrders, type DeclaredScopes, type ProtectedCustomerDataAccess } from "./access-rules";
import { bulkOperationStatus, currentBulkOperation, runBulkQuery } from "./bulk-operations";
import { filterBySearch, paginate, type ConnectionArgs, type PaginateOptions } from "./connections";
import { actualCostOfField, isConnectionType } from "./cost";
import type {
  CollectionFixture,
  CustomerFixture,
  FulfillmentFixture,
  LineItemFixture,
  MetafieldFixture,
  OrderFixture,
  ProductFixture,
  ProductVariantFixture,
  StoreFixture,
} from "./fixtures";
import { gid, legacyIdOf } from "./gid";
import { flowTriggerReceive, type FlowTriggerCall, type FlowTriggerDeclaration } from "./flow-triggers";
import { jsonValueOf, metafieldsOf, metafieldsSet, resolveNamespace, type MetafieldsSetInput } from "./metafields";
import { moneyV2, sumAmounts } from "./money";
import { discountCodeBasicCreate, fulfillmentTrackingInfoUpdate, orderCancel, orderUpdate, refundCreate, suggestedRefund } from "./order-actions";
import { placeholderFor } from "./placeholders";
import { resourceSearchFor } from "./resource-search";
import { customerOf, findNode, ordersOf, productOf } from "./store-lookup";
import type { ThemeFixture } from "./themes";

export type SearchWarning = { path: (string | number)[]; query: string; field: string };

/** One request's view of a store, plus what the request used (for cost and warnings). */
export type ResolveContext = {
  store: StoreFixture;
  grantedScopes: readonly string[];
  declaredScopes: DeclaredScopes;
  /** What the app was approved for in the Partner Dashboard. */
  protectedData: ProtectedCustomerDataAccess;
  apiKey: string;
  now: () => number;
  actualCost: number;
  searchWarnings: SearchWarning[];
  /** Root fields the fake does not model, answered with empty values: worth a log line. */
  unmodelledRootFields: string[];
  /** The fake's own origin, for URLs it serves (bulk operation files). */
  origin: string;
  /** Inside a bulk operation: connections need no page size and have no page limit. */
  bulk?: boolean;
  /** The app's declared Flow triggers, and where each flowTriggerReceive call is recorded. */
  flowTriggers: { declarations: readonly FlowTriggerDeclaration[]; record(call: FlowTriggerCall): void };
};

type Args = Record<string, unknown>;
type Resolve = (source: unknown, args: Args, ctx: ResolveContext, info: GraphQLResolveInfo) => unknown;

/** Types a resolver by the record it runs on; graphql-js only knows it as unknown. */
function on<T>(resolve: (source: T, args: Args, ctx: ResolveContext, info: GraphQLResolveInfo) => unknown): Resolve {
  return resolve as Resolve;
}

function byId<T extends { id: string }>(items: readonly T[], id: unknown): T | null {
  return items.find((item) => item.id === id) ?? null;
}

function searchOptions(ctx: ResolveContext, info: GraphQLResolveInfo, nodeType: string, query: unknown): PaginateOptions {
  return {
    search: resourceSearchFor(nodeType),
    store: ctx.store,
    onUnknownSearchField: (field) => ctx.searchWarnings.push({ path: responsePathAsArray(info.path), query: String(query), field }),
  };
}

/** Shopify's `Count`: exact up to `limit`, "at least" beyond it. */
function countOf(total: number, limit?: unknown) {
  return typeof limit === "number" && total > limit ? { count: limit, precision: "AT_LEAST" } : { count: total, precision: "EXACT" };
}

function counter(nodeType: string, items: (store: StoreFixture) => readonly unknown[]): Resolve {
  return (_source, args, ctx, info) => countOf(filterBySearch(items(ctx.store), args.query as string | undefined, searchOptions(ctx, info, nodeType, args.query)).length, args.limit);
}

const allVariants = (store: StoreFixture) => store.products.flatMap((product) => product.variants);

type Identifier = { id?: string | null; emailAddress?: string | null; phoneNumber?: string | null; handle?: string | null };

const accessScopes = (handles: readonly string[]) => handles.map((handle) => ({ handle, description: `Access to ${handle.replace(/_/g, " ")}` }));

const QUERY_ROOT: Record<string, Resolve> = {
  shop: (_s, _a, { store }) => store.shop,
  customers: (_s, _a, { store }) => store.customers,
  customer: (_s, { id }, { store }) => byId(store.customers, id),
  customerByIdentifier: (_s, { identifier }, { store }) => {
    const { id, emailAddress, phoneNumber } = identifier as Identifier;
    return (
      store.customers.find(
        (c) => c.id === id || (emailAddress && c.defaultEmailAddress.emailAddress.toLowerCase() === emailAddress.toLowerCase()) || (phoneNumber && c.phone === phoneNumber),
      ) ?? null
    );
  },
  customersCount: counter("Customer", (store) => store.customers),
  orders: (_s, _a, ctx) => visibleOrders(ctx.store.orders, ctx),
  // An order outside the app's window does not exist for it: null, as for an unknown id.
  order: (_s, { id }, ctx) => byId(visibleOrders(ctx.store.orders, ctx), id),
  orderByIdentifier: (_s, { identifier }, ctx) => byId(visibleOrders(ctx.store.orders, ctx), (identifier as Identifier).id),
  ordersCount: (_s, args, ctx, info) =>
    countOf(filterBySearch(visibleOrders(ctx.store.orders, ctx), args.query as string | undefined, searchOptions(ctx, info, "Order", args.query)).length, args.limit),
  products: (_s, _a, { store }) => store.products,
  product: (_s, { id }, { store }) => byId(store.products, id),
  productByIdentifier: (_s, { identifier }, { store }) => {
    const { id, handle } = identifier as Identifier;
    return store.products.find((p) => p.id === id || (handle && p.handle === handle)) ?? null;
  },
  productsCount: counter("Product", (store) => store.products),
  productVariants: (_s, _a, { store }) => allVariants(store),
  productVariant: (_s, { id }, { store }) => byId(allVariants(store), id),
  productVariantsCount: counter("ProductVariant", allVariants),
  collections: (_s, _a, { store }) => store.collections,
  collection: (_s, { id }, { store }) => byId(store.collections, id),
  collectionByHandle: (_s, { handle }, { store }) => store.collections.find((c) => c.handle === handle) ?? null,
  collectionByIdentifier: (_s, { identifier }, { store }) => {
    const { id, handle } = identifier as Identifier;
    return store.collections.find((c) => c.id === id || (handle && c.handle === handle)) ?? null;
  },
  collectionsCount: counter("Collection", (store) => store.collections),
  pages: (_s, _a, { store }) => store.pages,
  page: (_s, { id }, { store }) => byId(store.pages, id),
  pagesCount: counter("Page", (store) => store.pages),
  themes: (_s, { roles }, { store }) => store.themes.filter((t) => !Array.isArray(roles) || roles.includes(t.role)),
  theme: (_s, { id }, { store }) => byId(store.themes, id),
  node: (_s, { id }, ctx, info) => nodeFor(ctx, String(id), info),
  nodes: (_s, { ids }, ctx, info) => (ids as string[]).map((id) => nodeFor(ctx, id, info)),
  currentAppInstallation: (_s, _a, { store }) => store.appInstallation,
  // Without an id, the app making the request (the query the app library's scopes API sends).
  app: (_s, { id }, { store }) => (id === undefined || id === null || id === store.appInstallation.app.id ? store.appInstallation.app : null),
  bulkOperation: (_s, { id }, ctx) => bulkOperationStatus(ctx, String(id)),
  currentBulkOperation: (_s, _a, ctx) => currentBulkOperation(ctx),
};

/** The orders a request may act on: those it may read (an order outside its window does not exist for it). */
const orderFinder = (ctx: ResolveContext) => (id: unknown) => byId(visibleOrders(ctx.store.orders, ctx), id);
const actionContext = (ctx: ResolveContext) => ({ store: ctx.store, now: ctx.now });

const MUTATION_ROOT: Record<string, Resolve> = {
  orderCancel: (_s, args, ctx) => orderCancel(actionContext(ctx), args, orderFinder(ctx)),
  refundCreate: (_s, args, ctx, info) => refundCreate(actionContext(ctx), args, info, orderFinder(ctx)),
  orderUpdate: (_s, args, ctx) => orderUpdate(actionContext(ctx), args, orderFinder(ctx)),
  discountCodeBasicCreate: (_s, args, ctx) => discountCodeBasicCreate(actionContext(ctx), args),
  fulfillmentTrackingInfoUpdate: (_s, args, ctx) => fulfillmentTrackingInfoUpdate(actionContext(ctx), args, orderFinder(ctx)),
  flowTriggerReceive: (_s, args, ctx) => flowTriggerReceive(ctx.store, ctx.flowTriggers.declarations, ctx.flowTriggers.record, args, new Date(ctx.now())),
  metafieldsSet: (_s, { metafields }, ctx) => metafieldsSet(ctx.store, metafields as MetafieldsSetInput[], new Date(ctx.now())),
  bulkOperationRunQuery: (_s, { query }, ctx, info) =>
    runBulkQuery(info.schema, String(query), ctx, (document, bulkCtx) =>
      execute({ schema: info.schema, document, rootValue: {}, contextValue: bulkCtx, fieldResolver: resolveField, typeResolver: resolveType }),
    ),
};

/** `node`/`nodes` answer only records whose type implements the asked interface, like Shopify. */
function nodeFor(ctx: ResolveContext, id: string, info: GraphQLResolveInfo) {
  const found = findNode(ctx.store, id);
  if (found?.__typename === "Order" && visibleOrders([found as OrderFixture], ctx).length === 0) return null;
  const type = found && info.schema.getType(found.__typename);
  const wanted = getNamedType(info.returnType);
  return type && isObjectType(type) && isAbstractType(wanted) && info.schema.isSubType(wanted, type) ? found : null;
}

const PAID_UP = new Set(["PAID", "PARTIALLY_REFUNDED", "REFUNDED"]);

const BY_TYPE: Record<string, Record<string, Resolve>> = {
  Customer: {
    // Orders are the ones the app may see; numberOfOrders and amountSpent are lifetime figures
    // ("in their lifetime", the fields' descriptions in the schema), whatever the window.
    orders: on<CustomerFixture>((c, _a, ctx) => visibleOrders(ordersOf(ctx.store, c), ctx)),
    // Assumption: lastOrder is an Order like any other, so it is subject to the same window.
    lastOrder: on<CustomerFixture>((c, _a, ctx) => visibleOrders(ordersOf(ctx.store, c), ctx).sort((a, b) => b.processedAt.localeCompare(a.processedAt))[0] ?? null),
    displayName: on<CustomerFixture>((c, _a, ctx) => visibleDisplayName(c, ctx.protectedData)),
    numberOfOrders: on<CustomerFixture>((c, _a, { store }) => String(ordersOf(store, c).length)),
    amountSpent: on<CustomerFixture>((c, _a, { store }) =>
      moneyV2(sumAmounts(ordersOf(store, c).map((o) => Number(o.currentTotalPriceSet.shopMoney.amount))), store.shop.currencyCode),
    ),
    addresses: on<CustomerFixture>((c) => [c.defaultAddress]),
    addressesV2: on<CustomerFixture>((c) => [c.defaultAddress]),
  },
  Order: {
    customer: on<OrderFixture>((o, _a, { store }) => customerOf(store, o)),
    billingAddress: on<OrderFixture>((o) => o.shippingAddress),
    displayAddress: on<OrderFixture>((o) => o.shippingAddress),
    presentmentCurrencyCode: on<OrderFixture>((o) => o.currencyCode),
    originalTotalPriceSet: on<OrderFixture>((o) => o.totalPriceSet),
    currentSubtotalPriceSet: on<OrderFixture>((o) => o.subtotalPriceSet),
    currentTotalTaxSet: on<OrderFixture>((o) => o.totalTaxSet),
    currentShippingPriceSet: on<OrderFixture>((o) => o.totalShippingPriceSet),
    totalReceivedSet: on<OrderFixture>((o) => o.totalPriceSet),
    netPaymentSet: on<OrderFixture>((o) => o.currentTotalPriceSet),
    subtotalLineItemsQuantity: on<OrderFixture>((o) => o.lineItems.reduce((sum, line) => sum + line.quantity, 0)),
    currentSubtotalLineItemsQuantity: on<OrderFixture>((o) => o.lineItems.reduce((sum, line) => sum + line.currentQuantity, 0)),
    fulfillmentsCount: on<OrderFixture>((o) => countOf(o.fulfillments.length)),
    requiresShipping: on<OrderFixture>((o) => o.lineItems.some((line) => line.requiresShipping)),
    fullyPaid: on<OrderFixture>((o) => PAID_UP.has(o.displayFinancialStatus)),
    unpaid: on<OrderFixture>((o) => o.displayFinancialStatus === "PENDING"),
    confirmed: () => true,
    suggestedRefund: on<OrderFixture>((o, args, { store }) => suggestedRefund(store, o, args)),
  },
  Fulfillment: {
    order: on<FulfillmentFixture>((f, _a, ctx) => byId(visibleOrders(ctx.store.orders, ctx), f.orderId)),
  },
  LineItem: {
    product: on<LineItemFixture>((line, _a, { store }) => productOf(store, line.productId)),
    variant: on<LineItemFixture>((line, _a, { store }) => byId(productOf(store, line.productId)?.variants ?? [], line.variantId)),
  },
  Product: {
    collections: on<ProductFixture>((p, _a, { store }) => store.collections.filter((c) => c.productIds.includes(p.id))),
    variantsCount: on<ProductFixture>((p) => countOf(p.variants.length)),
    inCollection: on<ProductFixture>((p, { id }, { store }) => byId(store.collections, id)?.productIds.includes(p.id) ?? false),
    seo: on<ProductFixture>((p) => ({ title: p.title, description: p.description.slice(0, 160) })),
  },
  ProductVariant: {
    product: on<ProductVariantFixture>((v, _a, { store }) => productOf(store, v.productId)),
    sellableOnlineQuantity: on<ProductVariantFixture>((v) => v.inventoryQuantity),
    inventoryItem: on<ProductVariantFixture>((v) => ({
      __typename: "InventoryItem",
      id: gid("InventoryItem", legacyIdOf(v.id)),
      sku: v.sku,
      tracked: true,
      requiresShipping: true,
      createdAt: v.createdAt,
      updatedAt: v.updatedAt,
      variant: v,
    })),
  },
  Collection: {
    products: on<CollectionFixture>((c, _a, { store }) => c.productIds.map((id) => productOf(store, id)).filter(Boolean)),
    productsCount: on<CollectionFixture>((c) => countOf(c.productIds.length)),
    hasProduct: on<CollectionFixture>((c, { id }) => c.productIds.includes(String(id))),
  },
  Metafield: {
    owner: on<MetafieldFixture>((m, _a, { store }) => findNode(store, m.ownerId)),
    jsonValue: on<MetafieldFixture>((m) => jsonValueOf(m)),
  },
  OnlineStoreTheme: {
    files: on<ThemeFixture>((t, { filenames }) => t.files.filter((f) => !Array.isArray(filenames) || filenames.includes(f.filename))),
  },
  AppInstallation: {
    accessScopes: (_s, _a, { grantedScopes }) => accessScopes(grantedScopes),
  },
  App: {
    apiKey: (_s, _a, { apiKey }) => apiKey,
    requestedAccessScopes: (_s, _a, { declaredScopes }) => accessScopes(declaredScopes.required),
    optionalAccessScopes: (_s, _a, { declaredScopes }) => accessScopes(declaredScopes.optional),
    installation: (_s, _a, { store }) => store.appInstallation,
  },
};

/** Fields answered the same way by every type that implements an interface. */
const BY_INTERFACE: Record<string, Record<string, Resolve>> = {
  HasMetafields: {
    metafield: on<{ id: string }>((record, { namespace, key }, { store }) =>
      metafieldsOf(store, record.id, resolveNamespace(store, namespace as string | undefined)).find((m) => m.key === key) ?? null,
    ),
    metafields: on<{ id: string }>((record, { namespace, keys }, { store }) =>
      metafieldsOf(store, record.id, namespace as string | undefined, keys as string[] | undefined),
    ),
  },
};

/** Every record's REST-era id is the number at the end of its GID. */
const legacyResourceId = on<{ id?: unknown }>((record) => (typeof record.id === "string" ? legacyIdOf(record.id) : undefined));

function resolverFor(info: GraphQLResolveInfo): Resolve | undefined {
  const { schema, parentType, fieldName } = info;
  if (parentType === schema.getQueryType()) return QUERY_ROOT[fieldName];
  if (parentType === schema.getMutationType()) return MUTATION_ROOT[fieldName];
  const own = BY_TYPE[parentType.name]?.[fieldName];
  if (own) return own;
  for (const contract of parentType.getInterfaces()) {
    const shared = BY_INTERFACE[contract.name]?.[fieldName];
    if (shared) return shared;
  }
  return fieldName === "legacyResourceId" ? legacyResourceId : undefined;
}

function nodeTypeOf(connection: GraphQLNamedType): string {
  if (!isObjectType(connection)) return "";
  const nodes = connection.getFields().nodes ?? connection.getFields().edges;
  return nodes ? getNamedType(nodes.type).name.replace(/Edge$/, "") : "";
}

export const resolveField: GraphQLFieldResolver<unknown, ResolveContext> = (source, args, ctx, info) => {
  // Thrown, the error lands in `errors` at this field's path and the field answers null, as on Shopify.
  const denied = deniedField(info, { grantedScopes: ctx.grantedScopes, protectedData: ctx.protectedData, now: ctx.now });
  if (denied) throw denied;
  const resolver = resolverFor(info);
  const isRoot = info.parentType === info.schema.getQueryType() || info.parentType === info.schema.getMutationType();
  if (!resolver && isRoot) ctx.unmodelledRootFields.push(info.fieldName);
  let value = resolver ? resolver(source, args, ctx, info) : (source as Record<string, unknown> | null)?.[info.fieldName];

  const namedType = getNamedType(info.returnType);
  if (isConnectionType(namedType)) {
    const items = Array.isArray(value) ? value : [];
    const unbounded = ctx.bulk === true && typeof args.first !== "number" && typeof args.last !== "number";
    const pageArgs = unbounded ? { ...args, first: items.length } : args;
    value = paginate(items, pageArgs as ConnectionArgs, { ...searchOptions(ctx, info, nodeTypeOf(namedType), args.query), unbounded });
  } else if (value === undefined) {
    value = placeholderFor(info.returnType, ctx.store, info);
  } else if (Array.isArray(value) && typeof args.first === "number") {
    value = value.slice(0, args.first);
  }
  ctx.actualCost += actualCostOfField(info, value);
  return value;
};

/** Abstract types (Node, HasMetafields, unions) resolve by the fixture record's `__typename`. */
export const resolveType: GraphQLTypeResolver<unknown, ResolveContext> = (value, _ctx, info, abstractType) => {
  const typename = (value as { __typename?: unknown } | null)?.__typename;
  return typeof typename === "string" ? typename : info.schema.getPossibleTypes(abstractType)[0]?.name;
};
