import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deleteKeysWithPrefix, SHARED_REDIS_URL, testRedisPrefix } from "../../test/harness/redis";
import { waitFor } from "../../test/harness/wait";
import { createShopifyDeliveries, duplicateMarker } from "./shopify-deliveries.server";

describe("what makes two Shopify deliveries the same", () => {
  const first = { shop: "a.myshopify.com", topic: "orders/create", webhookId: "wh-1", eventId: "ev-1" };

  it("is the event id: a new delivery of the same event is the same, whatever its webhook id", () => {
    expect(duplicateMarker({ ...first, webhookId: "wh-2" })).toBe(duplicateMarker(first));
    expect(duplicateMarker({ ...first, eventId: "ev-2" })).not.toBe(duplicateMarker(first));
  });

  it("keeps shops and topics apart, and falls back to the webhook id only without an event id", () => {
    expect(duplicateMarker({ ...first, shop: "b.myshopify.com" })).not.toBe(duplicateMarker(first));
    expect(duplicateMarker({ ...first, topic: "orders/updated" })).not.toBe(duplicateMarker(first));
    const withoutEvent = { ...first, eventId: undefined };
    expect(duplicateMarker(withoutEvent)).toBe(duplicateMarker({ ...withoutEvent }));
    expect(duplicateMarker({ ...withoutEvent, webhookId: "wh-2" })).not.toBe(duplicateMarker(withoutEvent));
    // An event id that happens to equal another delivery's webhook id is still another marker.
    expect(duplicateMarker({ ...first, eventId: "wh-1" })).not.toBe(duplicateMarker({ ...withoutEvent, webhookId: "wh-1" }));
  });
});

describe("Shopify webhook deliveries, recognised by their marker", () => {
  let redis: Redis;
  const prefix = `${testRedisPrefix("shopify-deliveries")}:`;

  beforeAll(() => {
    redis = new Redis(SHARED_REDIS_URL);
  });
  afterAll(async () => {
    await deleteKeysWithPrefix(prefix);
    redis.disconnect();
  });

  it("runs the work of a delivery once; a repeat of the same webhook id is a duplicate", async () => {
    const deliveries = createShopifyDeliveries({ redis, prefix });
    let runs = 0;
    const work = async () => void runs++;
    expect(await deliveries.once("wh-1", work)).toBe("handled");
    expect(await deliveries.once("wh-1", work)).toBe("duplicate");
    expect(await deliveries.once("wh-2", work)).toBe("handled");
    expect(runs).toBe(2);
  });

  it("tells a repeat that arrives while the first is still running to come back later", async () => {
    const deliveries = createShopifyDeliveries({ redis, prefix });
    let finish!: () => void;
    let started!: () => void;
    const working = new Promise<void>((resolve) => (started = resolve));
    const first = deliveries.once("wh-slow", () => (started(), new Promise<void>((resolve) => (finish = resolve))));
    // The first delivery's work has begun, so its claim is taken.
    await working;
    expect(await deliveries.once("wh-slow", async () => {})).toBe("in-progress");
    finish();
    expect(await first).toBe("handled");
    expect(await deliveries.once("wh-slow", async () => {})).toBe("duplicate");
  });

  it("lets Shopify's retry run the work again when it failed", async () => {
    const deliveries = createShopifyDeliveries({ redis, prefix });
    await expect(deliveries.once("wh-fails", async () => Promise.reject(new Error("database down")))).rejects.toThrow("database down");
    let ran = false;
    expect(await deliveries.once("wh-fails", async () => void (ran = true))).toBe("handled");
    expect(ran).toBe(true);
  });

  it("frees a delivery whose process died mid-work once the claim lapses", async () => {
    const claimMs = 1_000;
    const deliveries = createShopifyDeliveries({ redis, prefix, claimMs });
    let started!: () => void;
    const working = new Promise<void>((resolve) => (started = resolve));
    // Taken before the claim is: the claim cannot lapse earlier than claimMs after this.
    const claimedAt = Date.now();
    void deliveries.once("wh-crash", () => (started(), new Promise<void>(() => {}))); // never finishes, like a killed process
    await working;
    expect(await deliveries.once("wh-crash", async () => {})).toBe("in-progress");
    // Shopify's next retry runs the work once the claim has lapsed, and not before.
    let ranAt = 0;
    await waitFor("the lapsed claim to let the retry run", async () => (await deliveries.once("wh-crash", async () => void (ranAt = Date.now()))) === "handled");
    expect(ranAt - claimedAt).toBeGreaterThanOrEqual(claimMs);
  });

  it("keeps the webhook id itself out of key names and remembers handled ones for three days", async () => {
    const deliveries = createShopifyDeliveries({ redis, prefix });
    await deliveries.once("b3f1c2a4-shopify-id", async () => {});
    const keys: string[] = [];
    let cursor = "0";
    do {
      const [next, found] = await redis.scan(cursor, "MATCH", `${prefix}shopify-webhook:*`, "COUNT", 1000);
      cursor = next;
      keys.push(...found);
    } while (cursor !== "0");
    expect(keys.some((k) => k.includes("b3f1c2a4"))).toBe(false);
    const ttls = await Promise.all(keys.map((k) => redis.ttl(k)));
    expect(Math.max(...ttls)).toBeGreaterThan(71 * 3600);
  });
});
