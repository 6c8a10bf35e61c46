import { randomUUID } from "node:crypto";
import type { PrismaClient } from "@prisma/client";
import type { Logger } from "../logger.server";
import { findConnection } from "../models/oscar-connection.server";
import {
  clearChanges,
  clearChangesBefore,
  deleteItems,
  deleteItemsNotSeen,
  deleteItemsOfKind,
  deleteSource,
  itemTexts,
  listChanges,
  listItemIndex,
  listSources,
  saveSource,
  sourcesByBot,
  upsertItems,
  type KnowledgeKind,
  type KnowledgeSource,
} from "../models/knowledge-items.server";
import { loadKnowledgeSettings, type KnowledgeSettings } from "../models/knowledge-settings.server";
import { clearFullRequest, findSyncState, markRunFinished, markRunStarted, saveProgress } from "../models/knowledge-sync-state.server";
import type { OscarClient } from "../oscar/client.server";
import { OscarError, OscarNotFoundError } from "../oscar/errors";
import { ShopNotConnectedError } from "../oscar/for-shop.server";
import { AdminApiResponseError, type AdminGraphql } from "../shopify/admin-graphql.server";
import { bundleContent, bundlesOf, contentHash, isAppSourceName, sourceName, type Bundle } from "./knowledge-bundles";
import { collectionItem, isSellable, pageItem, policyItem, productItem, type ProductRecord } from "./knowledge-content";
import { BulkReadNotReadyError, readAllProducts, readCollections, readPages, readProductsById, readShopFacts, type BulkReadOptions, type ShopFacts } from "./knowledge-shopify.server";

/**
 * One knowledge sync run for a shop. What it does is read from the database, not from the job:
 * a full read when one was requested (button, settings, new bot), else the products and
 * collections Shopify's webhooks announced. Then every bundle's content is hashed and only bundles
 * whose hash differs from what Oscar last received are sent (create the new version, then delete
 * the old one, so the bot never lacks the content), and one sync call retrains the bot.
 */

/** Beyond this many changed products, one bulk read is cheaper than reading them by id. */
export const INCREMENTAL_LIMIT = 250;
export const COLLECTIONS_CHANGED = "collections";

export class KnowledgeBotMissingError extends Error {
  override name = "KnowledgeBotMissingError";
  constructor() {
    super("Choose which Oscar bot should learn from the store (the bot id on the Knowledge page), then sync again.");
  }
}

export type KnowledgeSyncDeps = {
  db: PrismaClient;
  graphql: AdminGraphql;
  oscar: OscarClient;
  logger: Logger;
  now?: () => Date;
  bulk?: BulkReadOptions;
};

export type KnowledgeSyncResult = {
  full: boolean;
  itemsRead: number;
  created: number;
  removed: number;
  unchanged: number;
  syncCalled: boolean;
  /** More changes arrived while this run worked: the job runs again after the debounce. */
  again: boolean;
};

const productGid = /^gid:\/\/shopify\/Product\/\d+$/;

export async function runKnowledgeSync(deps: KnowledgeSyncDeps, shop: string): Promise<KnowledgeSyncResult> {
  const { db, graphql, logger } = deps;
  const now = deps.now ?? (() => new Date());
  const connection = await findConnection(db, shop);
  if (!connection) throw new ShopNotConnectedError();
  if (!connection.botId) throw new KnowledgeBotMissingError();
  const botId = connection.botId;

  const startedAt = now();
  const before = await findSyncState(db, shop);
  await markRunStarted(db, shop, startedAt);
  const full = Boolean(before?.fullRequestedAt) || !(await db.knowledgeItem.findFirst({ where: { shop }, select: { itemId: true } }));
  const changes = full ? [] : await listChanges(db, shop);
  const settings = await loadKnowledgeSettings(db, shop);
  const facts = await readShopFacts(graphql);

  let itemsRead = 0;
  const progress = async (n: number) => {
    itemsRead += n;
    await saveProgress(db, shop, { itemsRead });
  };
  const changedProducts = changes.filter((c) => productGid.test(c.itemId)).map((c) => c.itemId);
  // Products name their collections, so a changed collection (renamed, products added or taken out)
  // re-reads the catalogue too: one bulk read, and only the bundles whose text changed are sent.
  const collectionsChanged = changes.some((c) => c.itemId === COLLECTIONS_CHANGED);
  const readAllOf = (kind: KnowledgeKind) => full || collectionsChanged || (kind === "product" && changedProducts.length > INCREMENTAL_LIMIT);

  if (!settings.includeProducts) await deleteItemsOfKind(db, shop, "product");
  else if (readAllOf("product")) await readEveryProduct(deps, shop, facts, progress);
  else if (changedProducts.length) {
    const { products, missing } = await readProductsById(graphql, changedProducts);
    await storeProducts(db, shop, products, facts, null);
    await deleteItems(db, shop, missing);
    await progress(changedProducts.length);
  }
  await refreshSmallKind(deps, shop, "collection", settings.includeCollections, readAllOf("collection"), async () =>
    (await readCollections(graphql)).map((c) => collectionItem(c, facts.storefrontUrl)),
  progress);
  await refreshSmallKind(deps, shop, "page", settings.includePages, full, async () => (await readPages(graphql)).map((p) => pageItem(p, facts.storefrontUrl)), progress);
  await refreshSmallKind(deps, shop, "policy", settings.includePolicies, full, async () => facts.policies.map(policyItem), progress);

  if (full) {
    await clearChangesBefore(db, shop, startedAt);
    await clearFullRequest(db, shop, startedAt);
  } else {
    await clearChanges(db, shop, changes);
  }

  const sent = await sendChangedBundles(deps, shop, botId, facts.name, settings);
  const pending = await listChanges(db, shop);
  const after = await findSyncState(db, shop);
  const again = pending.length > 0 || Boolean(after?.fullRequestedAt);
  await markRunFinished(db, shop, now(), { outcome: "succeeded", ...sent }, { again });
  logger.info({ shop, full, itemsRead, ...sent, again }, "knowledge sync finished");
  return { full, itemsRead, ...sent, again };
}

async function storeProducts(db: PrismaClient, shop: string, products: ProductRecord[], facts: ShopFacts, runId: string | null) {
  const sellable = products.filter(isSellable);
  await upsertItems(db, shop, sellable.map((p) => productItem(p, facts.currencyCode)), runId);
  await deleteItems(db, shop, products.filter((p) => !isSellable(p)).map((p) => p.id));
}

async function readEveryProduct(deps: KnowledgeSyncDeps, shop: string, facts: ShopFacts, progress: (n: number) => Promise<void>) {
  const runId = randomUUID();
  await readAllProducts(
    deps.graphql,
    async (batch) => {
      await storeProducts(deps.db, shop, batch, facts, runId);
      await progress(batch.length);
    },
    deps.bulk,
  );
  await deleteItemsNotSeen(deps.db, shop, "product", runId);
}

/** Collections, pages and policies are few: they are read whole and replace what was stored. */
async function refreshSmallKind(
  deps: KnowledgeSyncDeps,
  shop: string,
  kind: KnowledgeKind,
  included: boolean,
  due: boolean,
  read: () => Promise<ReturnType<typeof collectionItem>[]>,
  progress: (n: number) => Promise<void>,
) {
  if (!included) {
    await deleteItemsOfKind(deps.db, shop, kind);
    return;
  }
  if (!due) return;
  const runId = randomUUID();
  const items = await read();
  await upsertItems(deps.db, shop, items, runId);
  await deleteItemsNotSeen(deps.db, shop, kind, runId);
  await progress(items.length);
}

type Planned = { bundle: Bundle; name: string; hash: string; content: string };

/** The bundles the settings allow, each with its content hash; only the changed ones keep their content. */
async function planBundles(db: PrismaClient, shop: string, shopName: string, settings: KnowledgeSettings, sent: Map<string, KnowledgeSource>) {
  const kinds: [KnowledgeKind, boolean][] = [
    ["product", settings.includeProducts],
    ["collection", settings.includeCollections],
    ["page", settings.includePages],
    ["policy", settings.includePolicies],
  ];
  const excluded = new Set(settings.excludedTags);
  const changed: Planned[] = [];
  const wanted = new Set<string>();
  for (const [kind, included] of kinds) {
    if (!included) continue;
    const index = (await listItemIndex(db, shop, kind)).filter((item) => !item.tags.some((tag) => excluded.has(tag)));
    for (const bundle of bundlesOf(kind, index)) {
      wanted.add(bundle.bundleKey);
      const texts = (await itemTexts(db, shop, bundle.itemIds)).map((t) => t.text);
      const content = bundleContent(shopName, bundle, texts);
      const hash = contentHash(content);
      const previous = sent.get(bundle.bundleKey);
      if (previous?.contentHash !== hash) changed.push({ bundle, name: sourceName(bundle, hash), hash, content });
    }
  }
  return { changed, wanted };
}

/**
 * Bots the merchant chose before lose what the app gave them, and are retrained without it. A bot
 * Oscar no longer knows has nothing to remove.
 */
async function removeFromOtherBots(deps: KnowledgeSyncDeps, shop: string, sources: KnowledgeSource[]): Promise<number> {
  const { db, oscar } = deps;
  const ignoreMissing = (error: unknown) => {
    if (!(error instanceof OscarNotFoundError)) throw error;
  };
  for (const source of sources) {
    await oscar.deleteKnowledgeSource(source.botId!, source.oscarId).catch(ignoreMissing);
    await deleteSource(db, shop, source.bundleKey);
  }
  for (const oldBot of new Set(sources.map((s) => s.botId!))) await oscar.syncBot(oldBot).catch(ignoreMissing);
  return sources.length;
}

async function sendChangedBundles(deps: KnowledgeSyncDeps, shop: string, botId: string, shopName: string, settings: KnowledgeSettings) {
  const { db, oscar } = deps;
  const now = deps.now ?? (() => new Date());
  const { current, ofOtherBots } = sourcesByBot(await listSources(db, shop), botId);
  const removedFromOtherBots = await removeFromOtherBots(deps, shop, ofOtherBots);
  const sent = new Map(current.map((s) => [s.bundleKey, s]));
  const { changed, wanted } = await planBundles(db, shop, shopName, settings, sent);
  const gone = [...sent.values()].filter((s) => !wanted.has(s.bundleKey));
  const unchanged = wanted.size - changed.length;
  if (changed.length === 0 && gone.length === 0) return { created: 0, removed: removedFromOtherBots, unchanged, syncCalled: false };

  await saveProgress(db, shop, { phase: "sending", sourcesToSend: changed.length + gone.length, sourcesSent: 0 });
  // One look at the bot's sources: a source a crashed run already created (same name = same
  // content) is adopted instead of sent again, and ones it left behind are removed below.
  const atOscar = await oscar.listKnowledgeSources(botId);
  const byName = new Map(atOscar.map((s) => [s.name, String(s.id)]));
  let done = 0;
  let created = 0;
  let removed = removedFromOtherBots;
  const remove = async (oscarId: string) => {
    try {
      await oscar.deleteKnowledgeSource(botId, oscarId);
    } catch (error) {
      if (!(error instanceof OscarNotFoundError)) throw error;
    }
    removed += 1;
  };
  const step = async () => {
    done += 1;
    if (done % 10 === 0 || done === changed.length + gone.length) await saveProgress(db, shop, { sourcesSent: done });
  };

  for (const plan of changed) {
    let oscarId = byName.get(plan.name);
    if (!oscarId) {
      oscarId = String((await oscar.createKnowledgeSource(botId, { type: "text", name: plan.name, content: plan.content })).id);
      created += 1;
    }
    const previous = sent.get(plan.bundle.bundleKey);
    await saveSource(db, {
      shop,
      bundleKey: plan.bundle.bundleKey,
      name: plan.name,
      botId,
      oscarId,
      contentHash: plan.hash,
      itemCount: plan.bundle.itemIds.length,
      bytes: Buffer.byteLength(plan.content),
      sentAt: now(),
    });
    if (previous && previous.oscarId !== oscarId) await remove(previous.oscarId);
    await step();
  }
  for (const source of gone) {
    await remove(source.oscarId);
    await deleteSource(db, shop, source.bundleKey);
    await step();
  }
  const tracked = new Set(sourcesByBot(await listSources(db, shop), botId).current.map((s) => s.oscarId));
  const replacedIds = new Set([...sent.values()].map((s) => s.oscarId));
  for (const leftover of atOscar) {
    const id = String(leftover.id);
    if (isAppSourceName(leftover.name) && !tracked.has(id) && !replacedIds.has(id)) await remove(id);
  }
  await oscar.syncBot(botId);
  return { created, removed, unchanged, syncCalled: true };
}

/** The last run's failure as the merchant reads it on the Knowledge page. */
export function describeKnowledgeFailure(error: unknown): string {
  if (error instanceof KnowledgeBotMissingError || error instanceof ShopNotConnectedError || error instanceof BulkReadNotReadyError) return error.message;
  if (error instanceof OscarError) return `${error.message}.`;
  if (error instanceof AdminApiResponseError) return error.message;
  return "The sync stopped on an unexpected error; it is tried again automatically.";
}
