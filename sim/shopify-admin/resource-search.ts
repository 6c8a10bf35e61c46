// What each resource list answers to: the search fields Shopify documents for
// `customers`, `orders`, `products`, `productVariants`, `collections` and `pages`, and their sort keys.
import type { CollectionFixture, CustomerFixture, OrderFixture, PageFixture, ProductFixture, ProductVariantFixture, StoreFixture } from "./fixtures";
import { legacyIdOf } from "./gid";
import { TokenisedText } from "./search-query";
import { ordersOf } from "./store-lookup";

type SortValue = string | number;

export type ResourceSearch<T> = {
  fields: Record<string, (item: T, store: StoreFixture) => unknown>;
  freeText: (item: T) => string[];
  /** By sort key enum value (CREATED_AT, TITLE, …); ID and RELEVANCE fall back to the id. */
  sortKeys: Record<string, (item: T, store: StoreFixture) => SortValue>;
};

const idOf = (item: { id: string }) => Number(legacyIdOf(item.id));
const common = {
  id: idOf,
  created_at: (item: { id: string; createdAt?: string }) => item.createdAt,
  updated_at: (item: { id: string; updatedAt?: string }) => item.updatedAt,
};

const customers: ResourceSearch<CustomerFixture> = {
  fields: {
    ...common,
    email: (c) => new TokenisedText(c.defaultEmailAddress.emailAddress),
    phone: (c) => c.phone,
    first_name: (c) => c.firstName,
    last_name: (c) => c.lastName,
    tag: (c) => c.tags,
    state: (c) => c.state,
    country: (c) => c.defaultAddress.country,
    accepts_marketing: (c) => c.defaultEmailAddress.marketingState === "SUBSCRIBED",
    orders_count: (c, store) => ordersOf(store, c).length,
    total_spent: (c, store) => ordersOf(store, c).reduce((sum, order) => sum + Number(order.currentTotalPriceSet.shopMoney.amount), 0),
  },
  freeText: (c) => [c.displayName, c.defaultEmailAddress.emailAddress, c.phone ?? "", ...c.tags],
  sortKeys: {
    CREATED_AT: (c) => c.createdAt,
    UPDATED_AT: (c) => c.updatedAt,
    NAME: (c) => c.displayName.toLowerCase(),
    LOCATION: (c) => `${c.defaultAddress.country} ${c.defaultAddress.province} ${c.defaultAddress.city}`,
  },
};

// Shopify's order search speaks in the older REST words: "shipped", "unshipped", "open", "closed".
const FULFILLMENT_SEARCH_WORDS: Record<string, string[]> = {
  FULFILLED: ["shipped", "fulfilled"],
  UNFULFILLED: ["unshipped", "unfulfilled"],
  PARTIALLY_FULFILLED: ["partial", "partially_fulfilled"],
};

const orders: ResourceSearch<OrderFixture> = {
  fields: {
    ...common,
    name: (o) => [o.name, o.name.replace(/^#/, "")],
    email: (o) => o.email,
    customer_id: (o) => (o.customerId ? legacyIdOf(o.customerId) : null),
    financial_status: (o) => o.displayFinancialStatus.toLowerCase(),
    fulfillment_status: (o) => FULFILLMENT_SEARCH_WORDS[o.displayFulfillmentStatus] ?? o.displayFulfillmentStatus.toLowerCase(),
    status: (o) => (o.cancelledAt ? "cancelled" : o.closed ? "closed" : "open"),
    processed_at: (o) => o.processedAt,
    tag: (o) => o.tags,
    sku: (o) => o.lineItems.map((line) => line.sku),
    confirmation_number: (o) => o.confirmationNumber,
    test: (o) => o.test,
  },
  freeText: (o) => [o.name, o.email ?? "", o.confirmationNumber, ...o.lineItems.map((line) => line.title)],
  sortKeys: {
    CREATED_AT: (o) => o.createdAt,
    PROCESSED_AT: (o) => o.processedAt,
    UPDATED_AT: (o) => o.updatedAt,
    ORDER_NUMBER: (o) => o.number,
    TOTAL_PRICE: (o) => Number(o.totalPriceSet.shopMoney.amount),
    CURRENT_TOTAL_PRICE: (o) => Number(o.currentTotalPriceSet.shopMoney.amount),
    FINANCIAL_STATUS: (o) => o.displayFinancialStatus,
    FULFILLMENT_STATUS: (o) => o.displayFulfillmentStatus,
    CUSTOMER_NAME: (o, store) => store.customers.find((c) => c.id === o.customerId)?.displayName.toLowerCase() ?? "",
    TOTAL_ITEMS_QUANTITY: (o) => o.lineItems.reduce((sum, line) => sum + line.quantity, 0),
  },
};

const products: ResourceSearch<ProductFixture> = {
  fields: {
    ...common,
    title: (p) => p.title,
    handle: (p) => p.handle,
    vendor: (p) => p.vendor,
    product_type: (p) => p.productType,
    status: (p) => p.status.toLowerCase(),
    tag: (p) => p.tags,
    sku: (p) => p.variants.map((variant) => variant.sku),
    published_at: (p) => p.publishedAt,
    published_status: (p) => (p.publishedAt ? ["published", "approved"] : ["unpublished"]),
    gift_card: (p) => p.isGiftCard,
    inventory_total: (p) => p.totalInventory,
    out_of_stock_somewhere: (p) => p.hasOutOfStockVariants,
  },
  freeText: (p) => [p.title, p.handle, p.vendor, p.productType, ...p.tags, ...p.variants.map((variant) => variant.sku)],
  sortKeys: {
    CREATED_AT: (p) => p.createdAt,
    UPDATED_AT: (p) => p.updatedAt,
    PUBLISHED_AT: (p) => p.publishedAt ?? "",
    TITLE: (p) => p.title.toLowerCase(),
    VENDOR: (p) => p.vendor.toLowerCase(),
    PRODUCT_TYPE: (p) => p.productType.toLowerCase(),
    INVENTORY_TOTAL: (p) => p.totalInventory,
  },
};

const productVariants: ResourceSearch<ProductVariantFixture> = {
  fields: {
    ...common,
    sku: (v) => v.sku,
    title: (v) => v.title,
    barcode: (v) => v.barcode,
    product_id: (v) => legacyIdOf(v.productId),
    inventory_quantity: (v) => v.inventoryQuantity,
  },
  freeText: (v) => [v.displayName, v.sku],
  sortKeys: {
    SKU: (v) => v.sku,
    TITLE: (v) => v.title.toLowerCase(),
    NAME: (v) => v.displayName.toLowerCase(),
    FULL_TITLE: (v) => v.displayName.toLowerCase(),
    POSITION: (v) => v.position,
    INVENTORY_QUANTITY: (v) => v.inventoryQuantity,
  },
};

const collections: ResourceSearch<CollectionFixture> = {
  fields: {
    ...common,
    title: (c) => c.title,
    handle: (c) => c.handle,
    collection_type: () => "custom",
  },
  freeText: (c) => [c.title, c.handle],
  sortKeys: { TITLE: (c) => c.title.toLowerCase(), UPDATED_AT: (c) => c.updatedAt },
};

const pages: ResourceSearch<PageFixture> = {
  fields: {
    ...common,
    title: (p) => p.title,
    handle: (p) => p.handle,
    published_at: (p) => p.publishedAt,
    published_status: (p) => (p.isPublished ? ["published", "visible"] : ["unpublished", "hidden"]),
  },
  freeText: (p) => [p.title, p.handle, p.bodySummary],
  sortKeys: { TITLE: (p) => p.title.toLowerCase(), UPDATED_AT: (p) => p.updatedAt, PUBLISHED_AT: (p) => p.publishedAt ?? "" },
};

const BY_NODE_TYPE: Record<string, ResourceSearch<never>> = {
  Customer: customers,
  Order: orders,
  Product: products,
  ProductVariant: productVariants,
  Collection: collections,
  Page: pages,
};

/** The search and sort rules for a connection's node type, if the fake knows that resource. */
export function resourceSearchFor(nodeTypeName: string): ResourceSearch<{ id: string }> | undefined {
  return BY_NODE_TYPE[nodeTypeName] as ResourceSearch<{ id: string }> | undefined;
}
