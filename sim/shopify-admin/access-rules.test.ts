// What the fake lets an app read, over real HTTP: granted scopes, the 60-day order window and
// protected customer data approval, each answered in Shopify's shape (HTTP 200, ACCESS_DENIED errors).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createStoreFixture, type CustomerFixture } from "./fixtures";
import { ADMIN_API_VERSION } from "./schema";
import { DEFAULT_GRANTED_SCOPES, SHOP_DOMAIN_HEADER, startFakeShopifyAdmin, type FakeShopifyAdmin } from "./server";

const SHOP = "access-rules.myshopify.com";
const DAY_MS = 86_400_000;
const NOW = Date.parse("2026-12-01T12:00:00.000Z");

type Answer<Data> = { data?: Data | null; errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string; requiredAccess?: string } }[] };

let admin: FakeShopifyAdmin;
let vip: CustomerFixture;

async function graphql<Data>(query: string, variables?: Record<string, unknown>, accessToken = admin.issueAccessToken(SHOP)) {
  const response = await fetch(`${admin.url}/admin/api/${ADMIN_API_VERSION}/graphql.json`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-shopify-access-token": accessToken, [SHOP_DOMAIN_HEADER]: SHOP },
    body: JSON.stringify({ query, variables }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Answer<Data>;
}

beforeAll(async () => {
  admin = await startFakeShopifyAdmin({ stores: { [SHOP]: createStoreFixture({ shopDomain: SHOP, seed: 3, now: new Date(NOW) }) }, clock: () => NOW, acceptAnyToken: false });
  vip = admin.store(SHOP).customers.find((c) => c.tags.includes("VIP"))!;
});
afterAll(async () => {
  await admin?.close();
});
beforeEach(() => {
  admin.setGrantedScopes(DEFAULT_GRANTED_SCOPES);
  admin.setProtectedCustomerData({ level: 2 });
});

const ageOf = (iso: string) => (NOW - Date.parse(iso)) / DAY_MS;

describe("the 60-day order window without read_all_orders", () => {
  const CUSTOMER_ORDERS = `query ($id: ID!) { customer(id: $id) { numberOfOrders orders(first: 50) { nodes { id createdAt } } lastOrder { id } } }`;
  type CustomerOrders = { customer: { numberOfOrders: string; orders: { nodes: { id: string; createdAt: string }[] }; lastOrder: { id: string } | null } };

  it("shows a customer only their orders of the last 60 days, while numberOfOrders stays the lifetime count", async () => {
    const all = admin.store(SHOP).orders.filter((o) => o.customerId === vip.id);
    // The persona's history (420 … 3 days ago) straddles the window: both sides must exist for this test to mean anything.
    expect(all.some((o) => ageOf(o.createdAt) > 60)).toBe(true);
    expect(all.some((o) => ageOf(o.createdAt) <= 60)).toBe(true);

    const { data, errors } = await graphql<CustomerOrders>(CUSTOMER_ORDERS, { id: vip.id });
    expect(errors).toBeUndefined();
    const seen = data!.customer.orders.nodes;
    expect(seen.map((o) => o.id).sort()).toEqual(all.filter((o) => ageOf(o.createdAt) <= 60).map((o) => o.id).sort());
    expect(Number(data!.customer.numberOfOrders)).toBe(all.length);
  });

  it("answers an older order as if it did not exist: null from order(id:) and nodes, absent from orders and ordersCount", async () => {
    const store = admin.store(SHOP);
    const old = store.orders.find((o) => ageOf(o.createdAt) > 60)!;
    const recentCount = store.orders.filter((o) => ageOf(o.createdAt) <= 60).length;

    const { data, errors } = await graphql<{ order: unknown; nodes: unknown[]; orders: { nodes: { id: string }[] }; ordersCount: { count: number } }>(
      `query ($id: ID!) { order(id: $id) { id } nodes(ids: [$id]) { id } orders(first: 250) { nodes { id } } ordersCount { count } }`,
      { id: old.id },
    );
    expect(errors).toBeUndefined();
    expect(data!.order).toBeNull();
    expect(data!.nodes).toEqual([null]);
    expect(data!.orders.nodes.map((o) => o.id)).not.toContain(old.id);
    expect(data!.ordersCount.count).toBe(recentCount);
  });

  it("shows every order once read_all_orders is granted", async () => {
    admin.setGrantedScopes([...DEFAULT_GRANTED_SCOPES, "read_all_orders"]);
    const { data } = await graphql<CustomerOrders>(CUSTOMER_ORDERS, { id: vip.id });
    expect(data!.customer.orders.nodes).toHaveLength(Number(data!.customer.numberOfOrders));
  });
});

describe("granted access scopes", () => {
  it("denies a field whose scope the token lacks with Shopify's ACCESS_DENIED error, and still answers the rest", async () => {
    const withoutOrders = admin.issueAccessToken(SHOP, DEFAULT_GRANTED_SCOPES.filter((s) => s !== "read_orders"));
    const id = admin.store(SHOP).orders.at(-1)!.id;
    const { data, errors } = await graphql<{ shop: { name: string }; order: unknown }>(`query ($id: ID!) { shop { name } order(id: $id) { id } }`, { id }, withoutOrders);

    expect(data).toEqual({ shop: { name: admin.store(SHOP).shop.name }, order: null });
    expect(errors).toEqual([
      expect.objectContaining({
        message: "Access denied for order field. Required access: `read_orders` access scope.",
        path: ["order"],
        extensions: expect.objectContaining({ code: "ACCESS_DENIED", requiredAccess: "`read_orders` access scope." }),
      }),
    ]);
  });

  it("applies a scope change the merchant approved to the shop's live tokens", async () => {
    const token = admin.issueAccessToken(SHOP);
    admin.setGrantedScopes(DEFAULT_GRANTED_SCOPES.filter((s) => s !== "read_customers"));
    const { errors } = await graphql(`{ customers(first: 1) { nodes { id } } }`, undefined, token);
    expect(errors?.[0]?.extensions?.code).toBe("ACCESS_DENIED");
  });
});

describe("protected customer data", () => {
  const CUSTOMER = `query ($id: ID!) { customer(id: $id) { id displayName firstName email defaultAddress { city } tags } }`;
  type Customer = { customer: { id: string; displayName: string; firstName: string | null; email: string | null; defaultAddress: unknown; tags: string[] } | null };

  it("serves names, emails and addresses to an app approved for level 2", async () => {
    const { data, errors } = await graphql<Customer>(CUSTOMER, { id: vip.id });
    expect(errors).toBeUndefined();
    expect(data!.customer).toMatchObject({ displayName: "Maya Okafor", firstName: "Maya", email: vip.email, defaultAddress: { city: vip.defaultAddress.city } });
  });

  it("withholds level-2 fields from an app approved for level 1: null with ACCESS_DENIED, and displayName redacted", async () => {
    admin.setProtectedCustomerData({ level: 1 });
    const { data, errors } = await graphql<Customer>(CUSTOMER, { id: vip.id });
    expect(data!.customer).toEqual({ id: vip.id, displayName: "•••", firstName: null, email: null, defaultAddress: null, tags: vip.tags });
    expect(errors?.map((e) => [e.path?.join("."), e.extensions?.code])).toEqual([
      ["customer.firstName", "ACCESS_DENIED"],
      ["customer.email", "ACCESS_DENIED"],
      ["customer.defaultAddress", "ACCESS_DENIED"],
    ]);
    expect(errors?.[1].message).toMatch(/not approved to use the email field/);
  });

  it("withholds only the fields not approved at level 2", async () => {
    admin.setProtectedCustomerData({ level: 2, fields: ["name"] });
    const { data, errors } = await graphql<Customer>(CUSTOMER, { id: vip.id });
    expect(data!.customer).toMatchObject({ displayName: "Maya Okafor", firstName: "Maya", email: null, defaultAddress: null });
    expect(errors?.map((e) => e.path?.join("."))).toEqual(["customer.email", "customer.defaultAddress"]);
  });

  it("denies customers and orders altogether to an app with no approval", async () => {
    admin.setProtectedCustomerData({ level: 0 });
    const order = admin.store(SHOP).orders.at(-1)!.id;
    const { data, errors } = await graphql<{ customer: unknown; order: unknown; shop: { name: string } }>(
      `query ($customer: ID!, $order: ID!) { shop { name } customer(id: $customer) { id } order(id: $order) { id } }`,
      { customer: vip.id, order },
    );
    // Non-null roots (customers, orders) would null the whole data, as graphql's null propagation does.
    expect(data).toMatchObject({ shop: { name: expect.any(String) }, customer: null, order: null });
    expect(errors?.map((e) => e.message)).toEqual([
      expect.stringMatching(/^This app is not approved to access the Customer object/),
      expect.stringMatching(/^This app is not approved to access the Order object/),
    ]);
  });
});
