import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BULK_OPERATION_RUN_QUERY_MUTATION } from "../app/graphql/bulk-operation-run-query";
import { KNOWLEDGE_PRODUCTS_BULK_QUERY } from "../app/graphql/knowledge-products-bulk-query";
import { KNOWLEDGE_PRODUCTS_BY_ID_QUERY } from "../app/graphql/knowledge-products-by-id";
import { BulkReadNotReadyError, readAllProducts, readProductsById } from "../app/services/knowledge-shopify.server";
import type { AdminGraphql } from "../app/shopify/admin-graphql.server";
import { createStoreFixture } from "../sim/shopify-admin/fixtures";
import { ADMIN_API_VERSION } from "../sim/shopify-admin/schema";
import { SHOP_DOMAIN_HEADER, startFakeShopifyAdmin, type FakeShopifyAdmin } from "../sim/shopify-admin/server";

/**
 * The catalogue's bulk read as Shopify runs it, against the fake Admin API over HTTP: a read that
 * takes a while is waited for, a failed one and one that never finishes end with a sentence the
 * Knowledge page shows (and the job tries again later).
 */
const SHOP = "bulk-read-shop.myshopify.com";

describe("reading the catalogue with a bulk operation", () => {
  let admin: FakeShopifyAdmin;
  let graphql: AdminGraphql;
  let statusQueries = 0;
  const pauses: number[] = [];
  const options = { sleep: async (ms: number) => void pauses.push(ms) };
  const store = () => admin.store(SHOP);

  beforeAll(async () => {
    admin = await startFakeShopifyAdmin({ port: 0, apiSecret: "bulk-read-secret", stores: { [SHOP]: createStoreFixture({ shopDomain: SHOP, seed: 4, products: 40 }) } });
    const token = admin.issueAccessToken(SHOP);
    graphql = async (query, { variables } = {}) => {
      if (query.includes("query BulkOperationStatus")) statusQueries++;
      return fetch(`${admin.url}/admin/api/${ADMIN_API_VERSION}/graphql.json`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-shopify-access-token": token, [SHOP_DOMAIN_HEADER]: SHOP },
        body: JSON.stringify({ query, variables }),
      });
    };
  });

  afterAll(async () => {
    await admin?.close();
  });

  const read = async (maxWaitMs?: number) => {
    statusQueries = 0;
    pauses.length = 0;
    const products: string[] = [];
    const count = await readAllProducts(graphql, async (batch) => void products.push(...batch.map((p) => p.id)), { ...options, maxWaitMs });
    return { count, products };
  };

  it("waits while Shopify is still writing the file, backing off, then reads every product", async () => {
    store().bulkOperations = { runningPolls: 3 };
    const { count, products } = await read();
    expect(count).toBe(store().products.length);
    expect(new Set(products).size).toBe(store().products.length);
    expect(statusQueries).toBe(4);
    expect(pauses).toEqual([500, 1_000, 2_000]);
  });

  const startBulkQuery = async (query: string) => {
    const response = await graphql(BULK_OPERATION_RUN_QUERY_MUTATION, { variables: { query } });
    const body = (await response.json()) as { data: { bulkOperationRunQuery: { bulkOperation: { id: string } | null; userErrors: { code: string; message: string }[] } } };
    return body.data.bulkOperationRunQuery;
  };

  describe("each line of the file", () => {
    const product = (id: number) => ({ id: `gid://shopify/Product/${id}`, title: `Product ${id}`, handle: `product-${id}`, status: "ACTIVE", description: null, productType: "Mug", vendor: "Oscar", tags: ["gift"], onlineStoreUrl: null });
    const fileOf = (lines: object[]) => async () => new Response(lines.map((line) => JSON.stringify(line)).join("\n"));
    const readFile = async (lines: object[]) => {
      store().bulkOperations = { runningPolls: 0 };
      const products: Parameters<Parameters<typeof readAllProducts>[1]>[0] = [];
      await readAllProducts(graphql, async (batch) => void products.push(...batch), { ...options, fetchFile: fileOf(lines) });
      return products;
    };

    it("is read as the shape its parent and id say: variants and collections join their product", async () => {
      const products = await readFile([
        product(1),
        { id: "gid://shopify/ProductVariant/11", title: "Large", price: 19, availableForSale: true, __parentId: "gid://shopify/Product/1" },
        { id: "gid://shopify/Collection/7", title: "Summer", __parentId: "gid://shopify/Product/1" },
        product(2),
      ]);
      expect(products.map((p) => [p.id, p.description, p.variants.map((v) => [v.title, v.price, v.availableForSale]), p.collections])).toEqual([
        ["gid://shopify/Product/1", "", [["Large", "19", true]], ["Summer"]],
        ["gid://shopify/Product/2", "", [], []],
      ]);
    });

    it("of any other shape stops the read with a sentence, rather than syncing a product without it", async () => {
      const variantWithoutPrice = { id: "gid://shopify/ProductVariant/11", title: "Large", availableForSale: true, __parentId: "gid://shopify/Product/1" };
      await expect(readFile([product(1), variantWithoutPrice])).rejects.toThrow("Shopify's catalogue file has a line of an unexpected shape.");
      const childOfUnknownKind = { id: "gid://shopify/Metafield/3", title: "x", __parentId: "gid://shopify/Product/1" };
      await expect(readFile([product(1), childOfUnknownKind])).rejects.toThrow("unexpected shape");
      const { title: _, ...productWithoutTitle } = product(1);
      await expect(readFile([productWithoutTitle])).rejects.toThrow("unexpected shape");
    });
  });

  it("waits for its own earlier catalogue read that Shopify is still running, instead of failing on 'already in progress'", async () => {
    store().bulkOperations = { runningPolls: 2 };
    const earlier = await startBulkQuery(KNOWLEDGE_PRODUCTS_BULK_QUERY);
    expect(earlier.bulkOperation).not.toBeNull();

    const { count, products } = await read();
    expect(count).toBe(store().products.length);
    expect(new Set(products).size).toBe(store().products.length);
    // The second start was refused (one bulk query per shop); the sync polled the earlier one to the end.
    const starts = admin.requests.filter((r) => r.operationName === "BulkOperationRunQuery");
    expect(starts.length).toBeGreaterThanOrEqual(2);
    // currentBulkOperation saw it running (1st look), then two status queries: running, completed.
    expect(statusQueries).toBe(2);
  });

  it("leaves someone else's running bulk query alone and says the sync will try again", async () => {
    store().bulkOperations = { runningPolls: 5 };
    const other = await startBulkQuery("{ collections { edges { node { id title } } } }");
    expect(other.bulkOperation).not.toBeNull();
    const refused = await startBulkQuery(KNOWLEDGE_PRODUCTS_BULK_QUERY);
    expect(refused).toEqual({
      bulkOperation: null,
      userErrors: [expect.objectContaining({ code: "OPERATION_IN_PROGRESS", message: `A bulk query operation for this app and shop is already in progress: ${other.bulkOperation!.id}.` })],
    });

    const failure = await read().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(BulkReadNotReadyError);
    expect((failure as Error).message).toBe("Shopify is still running another bulk read for this store; the sync will try again shortly.");

    // Let the other query finish so the next test can start its own.
    store().bulkOperations = { runningPolls: 0 };
    await graphql(`query { currentBulkOperation { id status } }`);
  });

  it("stops with Shopify's reason when the bulk read fails", async () => {
    store().bulkOperations = { runningPolls: 1, outcome: "FAILED", errorCode: "INTERNAL_SERVER_ERROR" };
    const failure = await read().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(BulkReadNotReadyError);
    expect((failure as Error).message).toBe("Shopify's catalogue read ended as failed (INTERNAL_SERVER_ERROR).");
  });

  it("gives up waiting after its limit, so the job can try again later instead of holding a worker", async () => {
    store().bulkOperations = { runningPolls: Infinity };
    const failure = await read(20_000).catch((error: unknown) => error);
    expect((failure as Error).message).toBe("Shopify has not finished reading the catalogue yet; the sync will try again.");
    // 0.5 + 1 + 2 + 4 + 5 + 5 + 5 s of pauses reach the 20 s limit: eight looks at the status.
    expect(pauses.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(20_000);
    expect(statusQueries).toBe(pauses.length + 1);
  });
});

describe("reading changed products by id", () => {
  const SHOP_BY_ID = "by-id-shop.myshopify.com";
  let admin: FakeShopifyAdmin;
  let graphql: AdminGraphql;

  beforeAll(async () => {
    admin = await startFakeShopifyAdmin({ stores: { [SHOP_BY_ID]: createStoreFixture({ shopDomain: SHOP_BY_ID, seed: 5, products: 30 }) } });
    const token = admin.issueAccessToken(SHOP_BY_ID);
    graphql = async (query, { variables } = {}) =>
      fetch(`${admin.url}/admin/api/${ADMIN_API_VERSION}/graphql.json`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-shopify-access-token": token, [SHOP_DOMAIN_HEADER]: SHOP_BY_ID },
        body: JSON.stringify({ query, variables }),
      });
  });
  afterAll(async () => {
    await admin?.close();
  });

  it("is priced per id: a batch one product too big for the 1,000-point limit is refused as Shopify refuses it", async () => {
    // 9 products × (1 + 102 + 12) points = 1,035: over the limit, where 8 (920) is not.
    const ids = admin.store(SHOP_BY_ID).products.map((p) => p.id).slice(0, 9);
    const response = await graphql(KNOWLEDGE_PRODUCTS_BY_ID_QUERY, { variables: { ids } });
    const body = (await response.json()) as { errors?: { extensions?: { code?: string } }[]; extensions?: { cost?: { requestedQueryCost: number } } };
    expect(body.errors?.[0]?.extensions?.code).toBe("MAX_COST_EXCEEDED");
    expect(body.extensions?.cost?.requestedQueryCost).toBeGreaterThan(1_000);
  });

  it("sends only batches the cost limit accepts, and reads every product", async () => {
    admin.resetRequests();
    const ids = admin.store(SHOP_BY_ID).products.map((p) => p.id);
    const { products, missing } = await readProductsById(graphql, ids);
    expect(products.map((p) => p.id).sort()).toEqual([...ids].sort());
    expect(missing).toEqual([]);
    const sent = admin.requests.filter((r) => r.operationName === "KnowledgeProductsById");
    expect(sent.length).toBeGreaterThanOrEqual(Math.ceil(ids.length / 8));
    for (const request of sent) expect((request.variables?.ids as string[]).length).toBeLessThanOrEqual(8);
  });
});
