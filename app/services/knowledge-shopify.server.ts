import { setTimeout as sleepFor } from "node:timers/promises";
import { z } from "zod";
import { BULK_OPERATION_RUN_QUERY_MUTATION } from "../graphql/bulk-operation-run-query";
import { BULK_OPERATION_STATUS_QUERY } from "../graphql/bulk-operation-status";
import { CURRENT_BULK_OPERATION_QUERY } from "../graphql/current-bulk-operation";
import { KNOWLEDGE_COLLECTIONS_QUERY } from "../graphql/knowledge-collections";
import { KNOWLEDGE_PAGES_QUERY } from "../graphql/knowledge-pages";
import { KNOWLEDGE_PRODUCTS_BULK_QUERY } from "../graphql/knowledge-products-bulk-query";
import { KNOWLEDGE_PRODUCT_BY_ID_COST, KNOWLEDGE_PRODUCTS_BY_ID_QUERY } from "../graphql/knowledge-products-by-id";
import { KNOWLEDGE_SHOP_POLICIES_QUERY } from "../graphql/knowledge-shop-policies";
import { AdminApiResponseError, runAdminQuery, type AdminGraphql } from "../shopify/admin-graphql.server";
import type { CollectionRecord, PageRecord, PolicyRecord, ProductRecord } from "./knowledge-content";

/**
 * Reads the store's content for knowledge sync. The whole catalogue is read with one bulk
 * operation: Shopify writes it to a JSONL file outside the cost throttle, which is read line by
 * line, so neither Shopify's points nor this process's memory grow with the catalogue. Paging
 * 10,000 products with their variants would cost about 45,000 points, 7 minutes at a standard
 * store's 100 points a second. Changed products (webhooks) are read by id, as many per query as
 * Shopify's 1,000-point single-query limit allows (8).
 */

/** Shopify could not finish the bulk read yet (another one runs, or it is slow): a later try may work. */
export class BulkReadNotReadyError extends Error {
  override name = "BulkReadNotReadyError";
}

const money = z.union([z.string(), z.number()]).transform(String);
const productFields = {
  id: z.string(),
  title: z.string(),
  handle: z.string(),
  status: z.string(),
  description: z.string().nullish().transform((d) => d ?? ""),
  productType: z.string().nullish().transform((t) => t ?? ""),
  vendor: z.string().nullish().transform((v) => v ?? ""),
  tags: z.array(z.string()),
  onlineStoreUrl: z.string().nullable(),
};
const variantFields = { title: z.string(), price: money, availableForSale: z.boolean() };

const productLine = z.object({ ...productFields, __parentId: z.undefined().optional() });
const variantLine = z.object({ id: z.string().startsWith("gid://shopify/ProductVariant/"), ...variantFields, __parentId: z.string() });
const collectionLine = z.object({ id: z.string().startsWith("gid://shopify/Collection/"), title: z.string(), __parentId: z.string() });

type BulkLine =
  | { kind: "product"; row: z.infer<typeof productLine> }
  | { kind: "variant"; row: z.infer<typeof variantLine> }
  | { kind: "collection"; row: z.infer<typeof collectionLine> };

/**
 * One line of the catalogue file, checked against the one shape its `__parentId` and id say it has;
 * null when it does not have that shape. A union of the three would first try the product shape on
 * every variant line and build a report of its failure only to throw it away: for 10,000 products that
 * was 27,000 discarded reports, and the garbage took the worker's resident peak past 255 MB.
 */
function parseBulkLine(json: unknown): BulkLine | null {
  const fields = (json !== null && typeof json === "object" ? json : {}) as { __parentId?: unknown; id?: unknown };
  if (fields.__parentId === undefined) {
    const product = productLine.safeParse(json);
    return product.success ? { kind: "product", row: product.data } : null;
  }
  if (typeof fields.id === "string" && fields.id.startsWith("gid://shopify/Collection/")) {
    const collection = collectionLine.safeParse(json);
    return collection.success ? { kind: "collection", row: collection.data } : null;
  }
  const variant = variantLine.safeParse(json);
  return variant.success ? { kind: "variant", row: variant.data } : null;
}

const startAnswer = z.object({
  bulkOperationRunQuery: z.object({
    bulkOperation: z.object({ id: z.string() }).nullable(),
    userErrors: z.array(z.object({ code: z.string().nullish(), message: z.string() })),
  }),
});
const currentAnswer = z.object({ currentBulkOperation: z.object({ id: z.string(), status: z.string(), query: z.string() }).nullable() });
const sameQuery = (a: string, b: string) => a.replace(/#graphql/g, "").replace(/\s+/g, " ").trim() === b.replace(/#graphql/g, "").replace(/\s+/g, " ").trim();

/**
 * Shopify runs one bulk query per app and shop at a time and refuses another with
 * OPERATION_IN_PROGRESS. When the one running is this app's own catalogue read (a previous run
 * stopped before it finished), the sync waits for it instead; anything else is retried later.
 */
async function catalogueReadInProgress(graphql: AdminGraphql): Promise<string> {
  const { currentBulkOperation: current } = await runAdminQuery(graphql, CURRENT_BULK_OPERATION_QUERY, currentAnswer);
  if (current && ["CREATED", "RUNNING"].includes(current.status) && sameQuery(current.query, KNOWLEDGE_PRODUCTS_BULK_QUERY)) return current.id;
  throw new BulkReadNotReadyError("Shopify is still running another bulk read for this store; the sync will try again shortly.");
}

const statusAnswer = z.object({
  bulkOperation: z.object({ id: z.string(), status: z.string(), errorCode: z.string().nullish(), url: z.string().nullish() }).nullable(),
});

export type BulkReadOptions = {
  sleep?: (ms: number) => Promise<void>;
  fetchFile?: typeof fetch;
  /** Longest the job waits for Shopify to finish the file before trying again later. */
  maxWaitMs?: number;
};

/** Every product of the store, handed over in batches as the file is read. Returns the number read. */
export async function readAllProducts(
  graphql: AdminGraphql,
  onBatch: (products: ProductRecord[]) => Promise<void>,
  { sleep = (ms) => sleepFor(ms), fetchFile = fetch, maxWaitMs = 15 * 60_000 }: BulkReadOptions = {},
): Promise<number> {
  const started = await runAdminQuery(graphql, BULK_OPERATION_RUN_QUERY_MUTATION, startAnswer, { query: KNOWLEDGE_PRODUCTS_BULK_QUERY });
  const { userErrors } = started.bulkOperationRunQuery;
  let bulkOperation = started.bulkOperationRunQuery.bulkOperation;
  if (!bulkOperation) {
    const inProgress = userErrors.some((e) => e.code === "OPERATION_IN_PROGRESS" || /already in progress/i.test(e.message));
    if (!inProgress) throw new AdminApiResponseError(`Shopify refused to read the catalogue: ${userErrors.map((e) => e.message).join("; ")}`);
    bulkOperation = { id: await catalogueReadInProgress(graphql) };
  }

  let waited = 0;
  let pause = 500;
  let url: string | null | undefined;
  for (;;) {
    const { bulkOperation: operation } = await runAdminQuery(graphql, BULK_OPERATION_STATUS_QUERY, statusAnswer, { id: bulkOperation.id });
    if (!operation) throw new AdminApiResponseError("Shopify lost the catalogue read it had started.");
    if (operation.status === "COMPLETED") {
      url = operation.url;
      break;
    }
    if (["FAILED", "CANCELED", "CANCELING", "EXPIRED"].includes(operation.status)) {
      throw new BulkReadNotReadyError(`Shopify's catalogue read ended as ${operation.status.toLowerCase()}${operation.errorCode ? ` (${operation.errorCode})` : ""}.`);
    }
    if (waited >= maxWaitMs) throw new BulkReadNotReadyError("Shopify has not finished reading the catalogue yet; the sync will try again.");
    await sleep(pause);
    waited += pause;
    pause = Math.min(pause * 2, 5_000);
  }
  if (!url) return 0; // an empty catalogue has no file

  const response = await fetchFile(url);
  if (!response.ok || !response.body) throw new BulkReadNotReadyError(`Shopify's catalogue file answered HTTP ${response.status}.`);
  let current: ProductRecord | null = null;
  let batch: ProductRecord[] = [];
  let count = 0;
  const flush = async () => {
    if (batch.length) await onBatch(batch);
    batch = [];
  };
  for await (const line of jsonLines(response.body)) {
    const parsed = parseBulkLine(JSON.parse(line));
    if (!parsed) throw new AdminApiResponseError("Shopify's catalogue file has a line of an unexpected shape.");
    if (parsed.kind === "product") {
      if (current) batch.push(current);
      if (batch.length >= 250) await flush();
      const { __parentId: _, ...fields } = parsed.row;
      current = { ...fields, variants: [], collections: [] };
      count += 1;
    } else if (current && parsed.row.__parentId === current.id) {
      if (parsed.kind === "variant") current.variants.push(parsed.row);
      else current.collections.push(parsed.row.title);
    }
  }
  if (current) batch.push(current);
  await flush();
  return count;
}

/** Splits a byte stream into lines without holding more than one chunk and one line. */
async function* jsonLines(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let rest = "";
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    rest += decoder.decode(chunk, { stream: true });
    let newline: number;
    while ((newline = rest.indexOf("\n")) !== -1) {
      const line = rest.slice(0, newline).trim();
      rest = rest.slice(newline + 1);
      if (line) yield line;
    }
  }
  rest += decoder.decode();
  if (rest.trim()) yield rest.trim();
}

const byIdAnswer = z.object({
  nodes: z.array(
    z
      .object({
        ...productFields,
        variants: z.object({ nodes: z.array(z.object(variantFields)) }),
        collections: z.object({ nodes: z.array(z.object({ title: z.string() })) }),
      })
      .nullable(),
  ),
});

/** Shopify refuses any single query whose requested cost is above 1,000 points (MAX_COST_EXCEEDED), whatever the bucket holds. */
export const SINGLE_QUERY_MAX_COST = 1_000;
/** Ids per nodes(ids:) query: each id is priced as one product, so a batch must stay under the single-query limit. */
export const BY_ID_BATCH = Math.floor(SINGLE_QUERY_MAX_COST / KNOWLEDGE_PRODUCT_BY_ID_COST);

/** The products with these ids as they are now; ids of deleted products come back in `missing`. */
export async function readProductsById(graphql: AdminGraphql, ids: string[]): Promise<{ products: ProductRecord[]; missing: string[] }> {
  const products: ProductRecord[] = [];
  const missing: string[] = [];
  for (let start = 0; start < ids.length; start += BY_ID_BATCH) {
    const batch = ids.slice(start, start + BY_ID_BATCH);
    const { nodes } = await runAdminQuery(graphql, KNOWLEDGE_PRODUCTS_BY_ID_QUERY, byIdAnswer, { ids: batch });
    nodes.forEach((node, index) => {
      if (!node) missing.push(batch[index]);
      else products.push({ ...node, variants: node.variants.nodes, collections: node.collections.nodes.map((c) => c.title) });
    });
  }
  return { products, missing };
}

const pageInfo = z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() });
const collectionsAnswer = z.object({
  collections: z.object({
    nodes: z.array(
      z.object({
        id: z.string(),
        title: z.string(),
        handle: z.string(),
        description: z.string().nullish().transform((d) => d ?? ""),
        productsCount: z.object({ count: z.number() }).nullish(),
      }),
    ),
    pageInfo,
  }),
});
const pagesAnswer = z.object({
  pages: z.object({
    nodes: z.array(z.object({ id: z.string(), title: z.string(), handle: z.string(), body: z.string(), isPublished: z.boolean() })),
    pageInfo,
  }),
});
const shopAnswer = z.object({
  shop: z.object({
    name: z.string(),
    currencyCode: z.string(),
    primaryDomain: z.object({ url: z.string() }),
    shopPolicies: z.array(z.object({ id: z.string(), type: z.string(), title: z.string(), body: z.string(), url: z.string() })),
  }),
});

export async function readCollections(graphql: AdminGraphql): Promise<CollectionRecord[]> {
  const all: CollectionRecord[] = [];
  let after: string | null = null;
  do {
    const { collections }: z.infer<typeof collectionsAnswer> = await runAdminQuery(graphql, KNOWLEDGE_COLLECTIONS_QUERY, collectionsAnswer, { after });
    all.push(...collections.nodes.map(({ productsCount, ...c }) => ({ ...c, productsCount: productsCount?.count ?? 0 })));
    after = collections.pageInfo.hasNextPage ? collections.pageInfo.endCursor : null;
  } while (after);
  return all;
}

/** Published pages only: a draft is not the shop's word yet. */
export async function readPages(graphql: AdminGraphql): Promise<PageRecord[]> {
  const all: PageRecord[] = [];
  let after: string | null = null;
  do {
    const { pages }: z.infer<typeof pagesAnswer> = await runAdminQuery(graphql, KNOWLEDGE_PAGES_QUERY, pagesAnswer, { after });
    all.push(...pages.nodes.filter((p) => p.isPublished));
    after = pages.pageInfo.hasNextPage ? pages.pageInfo.endCursor : null;
  } while (after);
  return all;
}

export type ShopFacts = { name: string; currencyCode: string; storefrontUrl: string; policies: PolicyRecord[] };

export async function readShopFacts(graphql: AdminGraphql): Promise<ShopFacts> {
  const { shop } = await runAdminQuery(graphql, KNOWLEDGE_SHOP_POLICIES_QUERY, shopAnswer);
  return {
    name: shop.name,
    currencyCode: shop.currencyCode,
    storefrontUrl: shop.primaryDomain.url.replace(/\/+$/, ""),
    // An empty policy is one the merchant has not written.
    policies: shop.shopPolicies.filter((p) => p.body.trim() !== ""),
  };
}
