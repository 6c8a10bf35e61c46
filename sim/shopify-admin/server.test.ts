// The fake Shopify Admin API over real HTTP, driven the way the app drives Shopify.
import { getJwt } from "@shopify/shopify-api/test-helpers";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ID_TOKEN_TYPE, OFFLINE_TOKEN_TYPE, ONLINE_TOKEN_TYPE, TOKEN_EXCHANGE_GRANT } from "./access-tokens";
import { createStoreFixture, type StoreFixture } from "./fixtures";
import { ADMIN_API_VERSION } from "./schema";
import { SHOP_DOMAIN_HEADER, startFakeShopifyAdmin, type FakeShopifyAdmin } from "./server";

const SHOP = "oscar-test-shop.myshopify.com";
const OTHER_SHOP = "second-store.myshopify.com";
/** getJwt takes the store's name and adds ".myshopify.com" itself. */
const storeName = (shop: string) => shop.replace(/\.myshopify\.com$/, "");
const API_KEY = "oscar-test-api-key";
const API_SECRET = "oscar-test-api-secret-0123456789";

type GraphqlBody<Data> = {
  data?: Data;
  errors?: { message: string; locations?: unknown[]; extensions?: { code?: string } }[];
  extensions?: { cost?: { requestedQueryCost: number; actualQueryCost: number | null; throttleStatus: { maximumAvailable: number; currentlyAvailable: number; restoreRate: number } } };
};

let admin: FakeShopifyAdmin;
let now = Date.now();
let token: string;

async function exchange(body: Record<string, string>, shop = SHOP) {
  const response = await fetch(`${admin.url}/admin/oauth/access_token`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json", [SHOP_DOMAIN_HEADER]: shop },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, string | undefined> };
}

async function sessionTokenExchange(overrides: Record<string, string> = {}, jwtSecret = API_SECRET) {
  const { token: subjectToken } = await getJwt(storeName(SHOP), API_KEY, jwtSecret);
  return exchange({
    client_id: API_KEY,
    client_secret: API_SECRET,
    grant_type: TOKEN_EXCHANGE_GRANT,
    subject_token: subjectToken,
    subject_token_type: ID_TOKEN_TYPE,
    requested_token_type: OFFLINE_TOKEN_TYPE,
    ...overrides,
  });
}

/** Data is typed by each caller: the shape its query asks for. */
async function graphql<Data = unknown>(query: string, variables?: Record<string, unknown>, { accessToken = token, shop = SHOP } = {}) {
  const response = await fetch(`${admin.url}/admin/api/${ADMIN_API_VERSION}/graphql.json`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-shopify-access-token": accessToken, [SHOP_DOMAIN_HEADER]: shop },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as GraphqlBody<Data> };
}

beforeAll(async () => {
  admin = await startFakeShopifyAdmin({
    port: 0,
    apiKey: API_KEY,
    apiSecret: API_SECRET,
    stores: {
      // Orders dated from the fake's clock, so its 60-day window shows the recent ones.
      [SHOP]: createStoreFixture({ shopDomain: SHOP, seed: 1, now: new Date(now) }),
      [OTHER_SHOP]: createStoreFixture({ shopDomain: OTHER_SHOP, seed: 2, products: 600, now: new Date(now) }),
    },
    clock: () => now,
  });
  token = admin.issueAccessToken(SHOP);
});

afterAll(async () => {
  await admin?.close();
});

beforeEach(() => {
  admin.resetRequests();
  admin.setThrottle({ maximumAvailable: 2000, restoreRate: 100, currentlyAvailable: 2000 });
});

describe("token exchange", () => {
  it("trades a valid session token for an offline access token that opens the GraphQL API", async () => {
    const { status, body } = await sessionTokenExchange();

    expect(status).toBe(200);
    expect(body).toEqual({ access_token: expect.stringMatching(/^shpat_[0-9a-f]{32}$/), scope: "read_customers,read_orders,read_products,read_content,read_legal_policies,read_themes" });
    const shop = await graphql("query ShopName { shop { name } }", undefined, { accessToken: body.access_token! });
    expect(shop.body.data).toEqual({ shop: { name: "Oscar Test Shop" } });
    expect(admin.requests.map((r) => [r.path, r.status])).toEqual([
      ["/admin/oauth/access_token", 200],
      [`/admin/api/${ADMIN_API_VERSION}/graphql.json`, 200],
    ]);
    expect(JSON.stringify(admin.requests)).not.toContain(body.access_token!);
  });

  it("gives an online token with its user and expiry, and an expiring offline token that can be refreshed", async () => {
    const online = await sessionTokenExchange({ requested_token_type: ONLINE_TOKEN_TYPE });
    expect(online.body).toMatchObject({
      access_token: expect.stringMatching(/^shpua_/),
      expires_in: 86399,
      associated_user: { id: 12345, email: "owner@oscar-test-shop.com", account_owner: true },
    });

    const expiring = await sessionTokenExchange({ expiring: "1" });
    expect(expiring.body).toMatchObject({ expires_in: 3600, refresh_token: expect.stringMatching(/^shprt_/), refresh_token_expires_in: 7776000 });
    now += 3_601_000;
    try {
      expect((await graphql("{ shop { name } }", undefined, { accessToken: expiring.body.access_token! })).status).toBe(401);
      const refreshed = await exchange({ client_id: API_KEY, client_secret: API_SECRET, grant_type: "refresh_token", refresh_token: expiring.body.refresh_token! });
      expect(refreshed.status).toBe(200);
      expect((await graphql("{ shop { name } }", undefined, { accessToken: refreshed.body.access_token! })).status).toBe(200);
      // A refresh token works once.
      const replayed = await exchange({ client_id: API_KEY, client_secret: API_SECRET, grant_type: "refresh_token", refresh_token: expiring.body.refresh_token! });
      expect(replayed.status).toBe(400);
    } finally {
      now -= 3_601_000;
    }
  });

  it("refuses a wrong client secret, a session token signed with another secret, and one for another shop", async () => {
    const wrongSecret = await sessionTokenExchange({ client_secret: "not-the-secret" });
    expect(wrongSecret).toEqual({ status: 401, body: { error: "invalid_client", error_description: "Client credentials are invalid." } });

    const forged = await sessionTokenExchange({}, "some-other-apps-secret-0000000000");
    expect(forged).toEqual({ status: 400, body: { error: "invalid_subject_token", error_description: "subject_token signature is invalid" } });

    const { token: otherShopJwt } = await getJwt(storeName(OTHER_SHOP), API_KEY, API_SECRET);
    const misdirected = await sessionTokenExchange({ subject_token: otherShopJwt });
    expect(misdirected.body.error_description).toBe("subject_token was issued for another shop");
  });

  it("answers GraphQL without a valid token for the shop the way Shopify does", async () => {
    const otherShopsToken = admin.issueAccessToken(OTHER_SHOP);
    for (const accessToken of ["", "shpat_made_up", otherShopsToken]) {
      const { status, body } = await graphql("{ shop { name } }", undefined, { accessToken });
      expect(status).toBe(401);
      expect(body).toEqual({ errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" });
    }
  });
});

describe("GraphQL from fixtures", () => {
  const CUSTOMER_WITH_ORDERS = `#graphql
    query CustomerWithOrders($query: String!) {
      customers(first: 1, query: $query) {
        nodes {
          id
          displayName
          tags
          amountSpent { amount currencyCode }
          numberOfOrders
          orders(first: 2, sortKey: PROCESSED_AT, reverse: true) {
            nodes {
              name
              displayFinancialStatus
              displayFulfillmentStatus
              totalPriceSet { shopMoney { amount currencyCode } }
              fulfillments(first: 1) { displayStatus trackingInfo { number url company } }
            }
          }
        }
      }
    }`;

  type CustomersAnswer = {
    customers: {
      nodes: {
        id: string;
        displayName: string;
        amountSpent: { amount: string };
        orders: { nodes: { name: string }[] };
      }[];
    };
  };

  it("finds a customer by email with their latest orders and tracking", async () => {
    const store = admin.store(SHOP);
    const vip = store.customers.find((c) => c.tags.includes("VIP"))!;
    const theirOrders = store.orders.filter((o) => o.customerId === vip.id).sort((a, b) => b.processedAt.localeCompare(a.processedAt));

    const { status, body } = await graphql<CustomersAnswer>(CUSTOMER_WITH_ORDERS, { query: `email:${vip.email}` });

    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    const customer = body.data!.customers.nodes[0];
    expect(customer).toMatchObject({ id: vip.id, displayName: vip.displayName, tags: ["VIP", "newsletter"], numberOfOrders: String(theirOrders.length) });
    expect(Number(customer.amountSpent.amount)).toBeGreaterThan(1000);
    const latest = customer.orders.nodes[0];
    expect(latest).toEqual({
      name: theirOrders[0].name,
      displayFinancialStatus: "PAID",
      displayFulfillmentStatus: "FULFILLED",
      totalPriceSet: { shopMoney: theirOrders[0].totalPriceSet.shopMoney },
      fulfillments: [{ displayStatus: "IN_TRANSIT", trackingInfo: theirOrders[0].fulfillments[0].trackingInfo }],
    });
    expect(customer.orders.nodes[1].name).toBe(theirOrders[1].name);
    expect(admin.requests).toEqual([expect.objectContaining({ shop: SHOP, operationName: "CustomerWithOrders", variables: { query: `email:${vip.email}` } })]);
  });

  it("answers an unknown email with no customers, and serves each shop its own data", async () => {
    const nobody = await graphql<CustomersAnswer>(CUSTOMER_WITH_ORDERS, { query: "email:nobody@example.com" });
    expect(nobody.body.data!.customers.nodes).toEqual([]);

    const other = await graphql<{ shop: { myshopifyDomain: string } }>("{ shop { myshopifyDomain } }", undefined, { shop: OTHER_SHOP, accessToken: admin.issueAccessToken(OTHER_SHOP) });
    expect(other.body.data!.shop.myshopifyDomain).toBe(OTHER_SHOP);
  });

  type CataloguePage = { products: { nodes: { id: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } };

  it("pages through a catalogue with cursors until hasNextPage is false", async () => {
    const accessToken = admin.issueAccessToken(OTHER_SHOP);
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page++) {
      const { body } = await graphql<CataloguePage>(
        "query Catalogue($after: String) { products(first: 250, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } } }",
        { after },
        { shop: OTHER_SHOP, accessToken },
      );
      const products: CataloguePage["products"] = body.data!.products;
      seen.push(...products.nodes.map((node) => node.id));
      if (!products.pageInfo.hasNextPage) break;
      after = products.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(600);
    expect(new Set(seen).size).toBe(600);
    expect(admin.requests).toHaveLength(3);
  });

  it("answers parts of the schema it does not model with empty values instead of failing", async () => {
    const { body } = await graphql("{ abandonedCheckouts(first: 5) { nodes { id } } shop { billingAddress { city } } }");
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ abandonedCheckouts: { nodes: [] }, shop: { billingAddress: { city: null } } });
  });

  it("stores metafields with metafieldsSet and reads them back through the owner", async () => {
    const installation = admin.store(SHOP).appInstallation;
    const set = await graphql<{ metafieldsSet: unknown }>(
      `mutation SaveSettings($metafields: [MetafieldsSetInput!]!) {
        metafieldsSet(metafields: $metafields) { metafields { key namespace } userErrors { field message code } }
      }`,
      { metafields: [{ ownerId: installation.id, namespace: "$app", key: "escalation", type: "json", value: '{"vipThreshold":1000}' }] },
    );
    expect(set.body.data!.metafieldsSet).toEqual({ metafields: [{ key: "escalation", namespace: "app--1000001" }], userErrors: [] });

    const read = await graphql<{ currentAppInstallation: { metafield: unknown } }>('{ currentAppInstallation { metafield(namespace: "$app", key: "escalation") { jsonValue } } }');
    expect(read.body.data!.currentAppInstallation.metafield).toEqual({ jsonValue: { vipThreshold: 1000 } });
  });
});

describe("errors as Shopify gives them", () => {
  it("answers an invalid query with validation errors, HTTP 200 and no charge", async () => {
    const { status, body } = await graphql("query Broken { shop { nmae } }");

    expect(status).toBe(200);
    expect(body).toEqual({
      errors: [{ message: 'Cannot query field "nmae" on type "Shop". Did you mean "name"?', locations: [{ line: 1, column: 23 }] }],
    });
    expect(admin.throttleStatus(SHOP).currentlyAvailable).toBe(2000);
    expect(admin.requests[0]).toMatchObject({ operationName: "Broken", status: 200 });
  });

  it("requires a page size on connections", async () => {
    const { body } = await graphql("{ products(query: \"title:x\") { nodes { id } } }");
    expect(body.errors?.[0].message).toBe("you must provide one of first or last");
  });

  it("refuses a query above the single-query cost limit", async () => {
    const { body } = await graphql("{ products(first: 250) { nodes { variants(first: 250) { nodes { id } } } } }");
    expect(body.errors?.[0].extensions?.code).toBe("MAX_COST_EXCEEDED");
    expect(body.data).toBeUndefined();
  });
});

describe("query cost and throttling", () => {
  const SIX_ORDERS = "query RecentOrders { orders(first: 6) { nodes { name customer { displayName } } } }";

  it("reports requested and actual cost, and takes the actual cost from the shop's bucket", async () => {
    const { body } = await graphql(SIX_ORDERS);

    // 2 for the connection, then per order 1 for the node and 1 for its customer.
    expect(body.extensions?.cost).toEqual({
      requestedQueryCost: 14,
      actualQueryCost: 14,
      throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 1986, restoreRate: 100 },
    });
  });

  it("answers THROTTLED when the bucket cannot pay, then serves again once it has refilled", async () => {
    admin.setThrottle({ maximumAvailable: 20, restoreRate: 2, currentlyAvailable: 20 }, SHOP);

    const first = await graphql(SIX_ORDERS);
    expect(first.body.data).toBeDefined();
    expect(first.body.extensions?.cost?.throttleStatus.currentlyAvailable).toBe(6);

    const throttled = await graphql(SIX_ORDERS);
    expect(throttled.body).toEqual({
      errors: [{ message: "Throttled", extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" } }],
      extensions: { cost: { requestedQueryCost: 14, actualQueryCost: null, throttleStatus: { maximumAvailable: 20, currentlyAvailable: 6, restoreRate: 2 } } },
    });

    now += 4_000; // 4 s at 2 points a second: 6 + 8 = 14, just enough.
    const recovered = await graphql(SIX_ORDERS);
    expect(recovered.body.errors).toBeUndefined();
    expect(recovered.body.extensions?.cost?.throttleStatus.currentlyAvailable).toBe(0);
  });

  it("keeps each shop's bucket apart", async () => {
    admin.setThrottle({ currentlyAvailable: 0, restoreRate: 0 }, SHOP);
    const throttled = await graphql(SIX_ORDERS);
    const otherShop = await graphql(SIX_ORDERS, undefined, { shop: OTHER_SHOP, accessToken: admin.issueAccessToken(OTHER_SHOP) });
    expect(throttled.body.errors?.[0].extensions?.code).toBe("THROTTLED");
    expect(otherShop.body.errors).toBeUndefined();
  });
});

describe("finding the shop", () => {
  it("needs the shop header when it serves more than one store", async () => {
    const response = await fetch(`${admin.url}/admin/api/${ADMIN_API_VERSION}/graphql.json`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-shopify-access-token": token },
      body: JSON.stringify({ query: "{ shop { name } }" }),
    });
    expect(response.status).toBe(400);
  });

  it("falls back to the only store when it serves one", async () => {
    const store: StoreFixture = createStoreFixture({ shopDomain: SHOP });
    const single = await startFakeShopifyAdmin({ stores: { [SHOP]: store }, acceptAnyToken: true });
    try {
      const response = await fetch(`${single.url}/admin/api/${ADMIN_API_VERSION}/graphql.json`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-shopify-access-token": "any" },
        body: JSON.stringify({ query: "{ shop { name } }" }),
      });
      expect(await response.json()).toMatchObject({ data: { shop: { name: store.shop.name } } });
      expect(single.requests[0].shop).toBe(SHOP);
    } finally {
      await single.close();
    }
  });
});
