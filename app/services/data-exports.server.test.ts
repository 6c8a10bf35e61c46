import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOwnRedis, testRedisPrefix } from "../../test/harness/redis";
import { TEST_ENCRYPTION_KEYS } from "../../test/harness/app-stack";
import { redisCommandsDuring } from "../../test/harness/redis-monitor";
import { waitFor } from "../../test/harness/wait";
import { parseKeyring } from "../security/encryption.server";
import { createDataExportStore, type CustomerDataExport } from "./data-exports.server";

const SHOP_A = "shop-a.myshopify.com";
const SHOP_B = "shop-b.myshopify.com";

function anExport(shop: string, dataRequestId: string, shopifyCustomerId: string): CustomerDataExport {
  return {
    topic: "customers/data_request",
    shop,
    dataRequestId,
    preparedAt: new Date().toISOString(),
    expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    customer: { shopifyCustomerId, email: `${shopifyCustomerId}@example.com` },
    conversations: [],
    orders: [],
    oscarNotes: [],
    oscarContactAttributes: [],
    queuedEvents: [],
    cachedShopifyCustomer: null,
  };
}

describe("customer data exports, listed from a per-shop index", () => {
  let redis: Redis;
  let own: Awaited<ReturnType<typeof startOwnRedis>>;
  const keyring = parseKeyring(TEST_ENCRYPTION_KEYS);
  let prefix: string;
  let n = 0;

  // A Redis of its own: MONITOR then sees only this test's commands.
  beforeAll(async () => {
    own = await startOwnRedis();
    redis = new Redis(own.url);
  });
  afterAll(async () => {
    redis?.disconnect();
    await own?.stop();
  });

  /** A store under a prefix of its own, so each case starts empty. */
  function freshStore(ttlSeconds?: number) {
    prefix = `${testRedisPrefix("data-exports")}-${++n}:`;
    return createDataExportStore({ redis, prefix, keyring, ttlSeconds });
  }

  it("a page view reads only the shop's own exports, without scanning the keyspace", async () => {
    const store = freshStore();
    // The same data request id in both shops: only the shop tells them apart.
    await store.save(anExport(SHOP_A, "4242", "101"));
    await store.save(anExport(SHOP_A, "4243", "102"));
    await store.save(anExport(SHOP_B, "4242", "201"));

    let listed: Awaited<ReturnType<typeof store.list>> = [];
    const commands = await redisCommandsDuring(own.url, prefix, async () => (listed = await store.list(SHOP_A)));
    expect(listed.map((e) => [e.dataRequestId, e.shopifyCustomerId]).sort()).toEqual([["4242", "101"], ["4243", "102"]]);
    expect(commands.length).toBeGreaterThan(0);
    expect(commands.filter(([name]) => /^scan$/i.test(name!))).toEqual([]);
    expect(commands.filter((args) => args.some((arg) => arg.includes(SHOP_B)))).toEqual([]);
    expect((await store.list(SHOP_B)).map((e) => e.shopifyCustomerId)).toEqual(["201"]);
  });

  it("drops an expired export from the index", async () => {
    const store = freshStore(1);
    await store.save(anExport(SHOP_A, "1", "101"));
    expect(await redis.zcard(`${prefix}data-export-index:${SHOP_A}`)).toBe(1);
    await waitFor("the export to expire from the list", async () => (await store.list(SHOP_A)).length === 0);
    expect(await redis.zcard(`${prefix}data-export-index:${SHOP_A}`)).toBe(0);
  });

  it("erasing one customer removes their exports from the index; erasing the shop removes the index", async () => {
    const store = freshStore();
    await store.save(anExport(SHOP_A, "1", "101"));
    await store.save(anExport(SHOP_A, "2", "102"));
    await store.save(anExport(SHOP_B, "1", "101"));

    expect(await store.remove(SHOP_A, (data) => data.customer.shopifyCustomerId === "101")).toBe(1);
    expect(await redis.zrange(`${prefix}data-export-index:${SHOP_A}`, 0, -1)).toEqual(["2"]);
    expect((await store.list(SHOP_A)).map((e) => e.dataRequestId)).toEqual(["2"]);

    expect(await store.remove(SHOP_A)).toBe(1);
    expect(await redis.exists(`${prefix}data-export-index:${SHOP_A}`, `${prefix}data-export:${SHOP_A}:2`)).toBe(0);
    // The neighbour keeps its export, with the same customer id and request id.
    expect((await store.list(SHOP_B)).map((e) => [e.dataRequestId, e.shopifyCustomerId])).toEqual([["1", "101"]]);
  });

  it("erasure still finds an export saved before the index existed", async () => {
    const store = freshStore();
    await store.save(anExport(SHOP_A, "7", "101"));
    await redis.del(`${prefix}data-export-index:${SHOP_A}`); // as an export written by the previous version
    expect(await store.remove(SHOP_A, (data) => data.customer.shopifyCustomerId === "101")).toBe(1);
    expect(await redis.exists(`${prefix}data-export:${SHOP_A}:7`)).toBe(0);
  });
});
