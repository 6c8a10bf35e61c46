import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEBOUNCE_MS, MAX_WAIT_MS } from "../app/queues/knowledge-sync-schedule.server";
import { generateCatalogue } from "../sim/shopify-admin/fixtures";
import { createRandom } from "../sim/shopify-admin/random";
import type { OscarSimulator } from "../sim/oscar/server";
import { TEST_SHOP, type AppStack } from "./harness/app-stack";
import { startConnectedStack } from "./harness/oscar-webhook";
import { duplicateDelivery, sendShopifyWebhook, shopifyDelivery, shopifyPayloads } from "./harness/shopify-webhooks";
import { waitFor } from "./harness/wait";
import { loadRoute, postForm } from "./settings/admin-requests";

const OSCAR_KEY = "osk_test_knowledge_sync_01";
const KNOWLEDGE = { path: "/app/knowledge", id: "routes/app.knowledge" } as const;
const PRODUCTS = 1_200;
/** 50 webhooks this far apart span 12.25 s, longer than one debounce period. */
const BURST_PACE_MS = 250;

describe("knowledge sync: the bot learns the store's products, collections, pages and policies", () => {
  let oscar: OscarSimulator;
  let stack: AppStack;
  let close: () => Promise<void>;
  let botId: string;

  const store = () => stack.fakeAdmin.store(TEST_SHOP);
  const sources = () => oscar.inspect.knowledgeSources(botId);
  const syncCalls = () => oscar.inspect.syncCalls(botId).length;
  const writes = () => {
    const { byOutcome } = oscar.inspect.requests(OSCAR_KEY);
    return { created: byOutcome["201"] ?? 0, deleted: byOutcome["204"] ?? 0 };
  };
  const sourceWith = (text: string) => sources().filter((s) => s.content?.includes(text));

  /** Resolves once a run that finished after `since` left the shop idle. */
  async function syncFinishedAfter(since: Date, timeoutMs = 45_000) {
    return waitFor(
      "the knowledge sync to finish",
      async () => {
        const state = await stack.db.knowledgeSyncState.findUnique({ where: { shop: TEST_SHOP } });
        return state && state.status === "idle" && state.finishedAt && state.finishedAt > since && state;
      },
      timeoutMs,
    );
  }

  beforeAll(async () => {
    ({ oscar, stack, close } = await startConnectedStack({ label: "knowledge-sync", oscarKey: OSCAR_KEY }));
    botId = oscar.accountFor(OSCAR_KEY).botId;
    // A generated catalogue big enough that every product type is split into several sources.
    const shop = store().shop;
    const catalogue = generateCatalogue({ productCount: PRODUCTS, random: createRandom(7), currencyCode: shop.currencyCode, storefrontUrl: shop.primaryDomain.url, now: new Date("2026-11-01T00:00:00Z"), idOffset: 0 });
    store().products = catalogue.products;
    store().collections = catalogue.collections;
  });

  afterAll(async () => {
    await close?.();
  });

  it("refuses a sync until the merchant chose the bot, then a full sync sends bounded sources and one sync call", async () => {
    const early = await postForm(stack, TEST_SHOP, KNOWLEDGE.path, KNOWLEDGE.id, { intent: "sync" });
    expect(early.status).toBe(400);
    expect(early.body.errors.botId).toBe("Enter the bot id first.");

    const since = new Date();
    const saved = await postForm(stack, TEST_SHOP, KNOWLEDGE.path, KNOWLEDGE.id, {
      intent: "save",
      botId,
      includeProducts: "on",
      includeCollections: "on",
      includePages: "on",
      includePolicies: "on",
      excludedTags: "",
    });
    expect(saved.body).toMatchObject({ ok: true });
    const state = await syncFinishedAfter(since);
    expect(state.lastOutcome).toBe("succeeded");

    const sellable = store().products.filter((p) => p.status === "ACTIVE" && p.onlineStoreUrl);
    const names = sources().map((s) => s.name);
    // 6 product types of ~180 products, each in 2 shards; collections, pages and policies one each.
    expect(names.filter((n) => n.startsWith("Shopify · Products: ")).length).toBe(12);
    expect(names.filter((n) => /^Shopify · (Collections|Pages|Policies) · [0-9a-f]{8}$/.test(n))).toHaveLength(3);
    expect(sources().every((s) => s.type === "text")).toBe(true);
    expect(syncCalls()).toBe(1);

    const product = sellable[0];
    const [holder] = sourceWith(`Link: ${product.onlineStoreUrl}\n`);
    expect(holder.content).toContain(`## ${product.title}`);
    expect(holder.content).toContain(`Brand: ${product.vendor}`);
    const variant = product.variants.find((v) => v.title !== "Default Title") ?? product.variants[0];
    expect(holder.content).toContain(`${variant.price} ${store().shop.currencyCode}, ${variant.availableForSale ? "in stock" : "sold out"}`);
    // Every sellable product is in exactly one source; drafts and archived ones in none.
    expect(sellable.every((p) => sourceWith(`Link: ${p.onlineStoreUrl}\n`).length === 1)).toBe(true);
    const draft = store().products.find((p) => p.status !== "ACTIVE")!;
    expect(sources().some((s) => s.content?.includes(`/products/${draft.handle}\n`))).toBe(false);

    const policies = sources().find((s) => s.name.startsWith("Shopify · Policies"))!;
    expect(policies.content).toContain("We have a 30-day return policy");
    expect(policies.content).not.toContain("<p>");
    const pages = sources().find((s) => s.name.startsWith("Shopify · Pages"))!;
    expect(pages.content).toContain("## Size guide");
    expect(pages.content).not.toContain("Holiday gift guide"); // a draft page
  }, 60_000);

  it("sends nothing on a second full sync when nothing changed", async () => {
    const before = { ...writes(), syncs: syncCalls(), ids: sources().map((s) => s.id) };
    const since = new Date();
    const answer = await postForm(stack, TEST_SHOP, KNOWLEDGE.path, KNOWLEDGE.id, { intent: "sync" });
    expect(answer.body).toMatchObject({ ok: true, message: "Sync started" });
    const state = await syncFinishedAfter(since);
    expect(state).toMatchObject({ lastOutcome: "succeeded", lastCreated: 0, lastRemoved: 0, lastSyncCalled: false, lastUnchanged: 15 });
    expect(writes()).toEqual({ created: before.created, deleted: before.deleted });
    expect(syncCalls()).toBe(before.syncs);
    expect(sources().map((s) => s.id)).toEqual(before.ids);
  }, 60_000);

  it("updates the one source holding a product edited in Shopify, after a products/update webhook", async () => {
    const product = store().products.find((p) => p.status === "ACTIVE" && p.onlineStoreUrl)!;
    const link = `Link: ${product.onlineStoreUrl}\n`;
    const [oldHolder] = sourceWith(link);
    const untouched = sources().filter((s) => s.id !== oldHolder.id).map((s) => s.id);
    const before = { ...writes(), syncs: syncCalls() };

    product.variants[0].price = "123.45";
    const since = new Date();
    const delivery = shopifyDelivery("products/update", TEST_SHOP, shopifyPayloads.productUpdated(product));
    const delivered = await sendShopifyWebhook(stack.appUrl, delivery);
    expect(delivered.status).toBe(200);
    await syncFinishedAfter(since);

    const [newHolder] = sourceWith(link);
    expect(newHolder.id).not.toBe(oldHolder.id);
    expect(newHolder.content).toContain(`123.45 ${store().shop.currencyCode}`);
    expect(sources().filter((s) => s.id !== newHolder.id).map((s) => s.id)).toEqual(untouched);
    expect(writes()).toEqual({ created: before.created + 1, deleted: before.deleted + 1 });
    expect(syncCalls()).toBe(before.syncs + 1);

    // Shopify sends the same event again as a new delivery (same X-Shopify-Event-Id): no second change is noted.
    expect((await sendShopifyWebhook(stack.appUrl, duplicateDelivery(delivery))).status).toBe(200);
    expect(await stack.db.knowledgeChange.count({ where: { shop: TEST_SHOP } })).toBe(0);
    expect(await stack.db.knowledgeSyncState.findUnique({ where: { shop: TEST_SHOP } })).toMatchObject({ status: "idle" });
  }, 60_000);

  it("removes a deleted product's content after a products/delete webhook", async () => {
    const index = store().products.findIndex((p) => p.status === "ACTIVE" && p.onlineStoreUrl);
    const [product] = store().products.splice(index, 1);
    const since = new Date();
    const delivered = await sendShopifyWebhook(stack.appUrl, shopifyDelivery("products/delete", TEST_SHOP, shopifyPayloads.productDeleted(product.id)));
    expect(delivered.status).toBe(200);
    await syncFinishedAfter(since);
    expect(sources().some((s) => s.content?.includes(`Link: ${product.onlineStoreUrl}\n`))).toBe(false);
  }, 60_000);

  it("turns a burst of 50 product webhooks, longer than the debounce but each within it of the last, into one sync call", async () => {
    const edited = store().products.filter((p) => p.status === "ACTIVE" && p.onlineStoreUrl).slice(10, 60);
    const before = syncCalls();
    const since = new Date();
    const sentAt: number[] = [];
    for (const [i, product] of edited.entries()) {
      // Paced by the clock so the burst outlasts one debounce period: a window counted from the
      // first change would sync in the middle of it; only a trailing debounce makes it one call.
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, since.getTime() + i * BURST_PACE_MS - Date.now())));
      product.title = `${product.title} (edit ${i})`;
      sentAt.push(Date.now());
      const delivered = await sendShopifyWebhook(stack.appUrl, shopifyDelivery("products/update", TEST_SHOP, shopifyPayloads.productUpdated(product)));
      expect(delivered.status).toBe(200);
    }
    // What the burst must be for one sync to be the right answer (a slow machine only stretches the
    // pauses, so these check the premise; they are not the behaviour under test).
    const longestPause = Math.max(...sentAt.slice(1).map((t, i) => t - sentAt[i]));
    expect(longestPause, "a pause in the burst longer than the debounce would rightly sync twice").toBeLessThan(DEBOUNCE_MS);
    expect(sentAt.at(-1)! - sentAt[0]).toBeGreaterThan(DEBOUNCE_MS);
    expect(sentAt.at(-1)! - sentAt[0], "past the longest wait a sync is due mid-burst").toBeLessThan(MAX_WAIT_MS);
    await syncFinishedAfter(since);
    expect(syncCalls()).toBe(before + 1);
    expect(edited.every((p) => sourceWith(`## ${p.title}\n`).length === 1)).toBe(true);
    // No second run follows: every change was read by the first.
    expect(await stack.db.knowledgeChange.count({ where: { shop: TEST_SHOP } })).toBe(0);
  }, 90_000);

  it("renames a collection in the products that name it too, after a collections/update webhook", async () => {
    const collection = store().collections.find((c) => c.title === "Best sellers")!;
    const member = store().products.find((p) => collection.productIds.includes(p.id) && p.status === "ACTIVE" && p.onlineStoreUrl)!;
    expect(sourceWith(`Link: ${member.onlineStoreUrl}\n`)[0].content).toContain("Best sellers");
    collection.title = "Customer favourites";
    const since = new Date();
    const delivered = await sendShopifyWebhook(stack.appUrl, shopifyDelivery("collections/update", TEST_SHOP, shopifyPayloads.collectionUpdated(collection)));
    expect(delivered.status).toBe(200);
    const state = await syncFinishedAfter(since);

    const [holder] = sourceWith(`Link: ${member.onlineStoreUrl}\n`);
    const block = holder.content!.slice(holder.content!.indexOf(`## ${member.title}\n`)).split("\n## ")[0];
    expect(block).toMatch(/^Collections: .*Customer favourites/m);
    expect(sources().some((s) => s.content?.includes("Best sellers"))).toBe(false);
    // Only the bundles that hold its members (and the collections' own) were sent again.
    const bestSellerBundles = new Set(collection.productIds.map((id) => store().products.find((p) => p.id === id)).filter((p) => p?.onlineStoreUrl).map((p) => sourceWith(`Link: ${p!.onlineStoreUrl}\n`)[0]?.id));
    expect(state.lastCreated).toBe(bestSellerBundles.size + 1);
    expect(state.lastUnchanged).toBe(15 - state.lastCreated);
  }, 60_000);

  it("shows the catalogue read on the Knowledge page while Shopify is still writing it, then finishes", async () => {
    store().bulkOperations = { runningPolls: 3 };
    try {
      const since = new Date();
      expect((await postForm(stack, TEST_SHOP, KNOWLEDGE.path, KNOWLEDGE.id, { intent: "sync" })).body).toMatchObject({ ok: true });
      const reading = await waitFor("the page to show the read in progress", async () => {
        const { body } = await loadRoute<{ sync: { status: string; phase: string | null } }>(stack, TEST_SHOP, "/app/knowledge", KNOWLEDGE.id);
        return body.sync.status === "running" && body.sync.phase === "reading" && body.sync;
      });
      expect(reading).toMatchObject({ status: "running", phase: "reading" });
      const state = await syncFinishedAfter(since);
      expect(state.lastOutcome).toBe("succeeded");
    } finally {
      store().bulkOperations = undefined;
    }
  }, 60_000);

  it("moves the knowledge to another bot: the new bot gets every source, the old one loses the app's and is retrained", async () => {
    const [oldBot, newBot] = oscar.accountFor(OSCAR_KEY).botIds;
    expect(oldBot).toBe(botId);
    const sentToOldBot = oscar.inspect.knowledgeSources(oldBot).length;
    const oldBotSyncs = oscar.inspect.syncCalls(oldBot).length;
    expect(sentToOldBot).toBeGreaterThan(10);

    const since = new Date();
    const saved = await postForm(stack, TEST_SHOP, KNOWLEDGE.path, KNOWLEDGE.id, {
      intent: "save", botId: newBot, includeProducts: "on", includeCollections: "on", includePages: "on", includePolicies: "on", excludedTags: "",
    });
    expect(saved.body).toMatchObject({ ok: true });
    const state = await syncFinishedAfter(since);
    expect(state).toMatchObject({ lastOutcome: "succeeded", lastCreated: sentToOldBot, lastRemoved: sentToOldBot });
    expect(oscar.inspect.knowledgeSources(newBot)).toHaveLength(sentToOldBot);
    expect(oscar.inspect.knowledgeSources(oldBot)).toHaveLength(0);
    expect(oscar.inspect.syncCalls(oldBot)).toHaveLength(oldBotSyncs + 1);
    expect(oscar.inspect.syncCalls(newBot)).toHaveLength(1);
    const { body } = await loadRoute<{ botId: string; sources: { count: number } }>(stack, TEST_SHOP, "/app/knowledge", KNOWLEDGE.id);
    expect(body).toMatchObject({ botId: newBot, sources: { count: sentToOldBot } });
  }, 60_000);

  // Last: the failed run's job retries later (BullMQ backoff), after this file is done.
  it("ends the run with Shopify's reason on the Knowledge page when the catalogue read fails", async () => {
    store().bulkOperations = { runningPolls: 1, outcome: "FAILED", errorCode: "INTERNAL_SERVER_ERROR" };
    const since = new Date();
    await postForm(stack, TEST_SHOP, KNOWLEDGE.path, KNOWLEDGE.id, { intent: "sync" });
    await waitFor("the run to fail", async () => {
      const state = await stack.db.knowledgeSyncState.findUnique({ where: { shop: TEST_SHOP } });
      return state?.lastOutcome === "failed" && state.finishedAt && state.finishedAt > since;
    });
    const { body } = await loadRoute<{ sync: { lastOutcome: string; lastError: string } }>(stack, TEST_SHOP, "/app/knowledge", KNOWLEDGE.id);
    expect(body.sync).toMatchObject({ lastOutcome: "failed", lastError: "Shopify's catalogue read ended as failed (INTERNAL_SERVER_ERROR)." });
  }, 60_000);
});
