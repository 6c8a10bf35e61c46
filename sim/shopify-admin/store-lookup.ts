// Finding fixture records by GID, and the relations between them, the way Shopify's `node` does.
import type { CustomerFixture, OrderFixture, ProductFixture, StoreFixture } from "./fixtures";
import { parseGid } from "./gid";

type Identified = { __typename: string; id: string };

function findIn<T extends { id: string }>(items: readonly T[], id: string): T | null {
  return items.find((item) => item.id === id) ?? null;
}

/** Any record of the store by its GID (what `node(id:)` answers), or null. */
export function findNode(store: StoreFixture, id: string): Identified | null {
  switch (parseGid(id)?.type) {
    case "Shop": return store.shop.id === id ? store.shop : null;
    case "Customer": return findIn(store.customers, id);
    case "Order": return findIn(store.orders, id);
    case "Product": return findIn(store.products, id);
    case "ProductVariant": return findIn(store.products.flatMap((product) => product.variants), id);
    case "Collection": return findIn(store.collections, id);
    case "Page": return findIn(store.pages, id);
    case "Fulfillment": return findIn(store.orders.flatMap((order) => order.fulfillments), id);
    case "LineItem": return findIn(store.orders.flatMap((order) => order.lineItems), id);
    case "ShopPolicy": return findIn(store.shop.shopPolicies, id);
    case "Domain": return store.shop.primaryDomain.id === id ? store.shop.primaryDomain : null;
    case "MailingAddress": return findIn(store.customers.map((customer) => customer.defaultAddress), id);
    case "Metafield": return findIn(store.metafields, id);
    case "AppInstallation": return store.appInstallation.id === id ? store.appInstallation : null;
    default: return null;
  }
}

export function customerOf(store: StoreFixture, order: OrderFixture): CustomerFixture | null {
  return order.customerId ? findIn(store.customers, order.customerId) : null;
}

export function ordersOf(store: StoreFixture, customer: CustomerFixture): OrderFixture[] {
  return store.orders.filter((order) => order.customerId === customer.id);
}

export function productOf(store: StoreFixture, productId: string): ProductFixture | null {
  return findIn(store.products, productId);
}
