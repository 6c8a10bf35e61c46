import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { decryptSecret, DecryptionError, parseKeyring, SECRET_FIELDS } from "../app/security/encryption.server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UNEXPECTED_EVENTS_KEPT, UNEXPECTED_EVENTS_TTL_SECONDS } from "../app/services/unexpected-oscar-events.server";
import { startOscarSimulator, type OscarSimulator } from "../sim/oscar/server";
import { installShop, startAppStack, TEST_ENCRYPTION_KEYS, TEST_SHOP, type AppStack } from "./harness/app-stack";
import { connectShopToOscar, deliverOscarEvent, oscarEventJobCount, oscarWebhookTarget } from "./harness/oscar-webhook";
import { sendShopifyWebhook, shopifyDelivery, shopifyPayloads } from "./harness/shopify-webhooks";
import { FAILED_JOBS, loadRoute } from "./settings/admin-requests";
import { startOwnRedis } from "./harness/redis";
import { waitForOscarWorkSettled } from "./harness/settled";
import { waitFor } from "./harness/wait";

const OSCAR_KEY = "osk_test_ingest_key_0002";

const event = (id: string, overrides: Record<string, unknown> = {}) =>
  JSON.stringify({
    id,
    type: "conversation.created",
    data: { conversation_id: "conv_x", contact: { id: "contact_x", name: "Jane", email: "jane@example.com" } },
    ...overrides,
  });

describe("POST /webhooks/oscar/:ingestKey", () => {
  let oscar: OscarSimulator;
  let redis: Awaited<ReturnType<typeof startOwnRedis>>;
  let stack: AppStack;
  let target: { url: string; secret: string };

  beforeAll(async () => {
    oscar = await startOscarSimulator({ apiKeys: [OSCAR_KEY], deliveryRetry: { maxAttempts: 12, baseDelayMs: 200 } });
    redis = await startOwnRedis();
    stack = await startAppStack({ label: "oscar-ingest", redisUrl: redis.url, extraEnv: { OSCAR_API_BASE: oscar.baseUrl } });
    await connectShopToOscar(stack, oscar.baseUrl, OSCAR_KEY, TEST_SHOP);
    target = await oscarWebhookTarget(stack.db, stack.appUrl, TEST_SHOP);
  });
  afterAll(async () => {
    await stack?.close();
    await oscar?.close();
    await redis?.stop();
  });

  it("refuses forged, malformed and oversized deliveries with their status, storing no job", async () => {
    const body = event("evt_refused");
    const cases: Array<[string, Promise<Response>, number, string]> = [
      ["no signature", deliverOscarEvent(target.url, body, { signature: null }), 401, "x-oscar-signature"],
      ["forged signature", deliverOscarEvent(target.url, body, { secret: "not-the-shop-secret" }), 401, "does not match"],
      ["wrong-length signature", deliverOscarEvent(target.url, body, { signature: "sha256=abcd" }), 401, "does not match"],
      ["garbage signature", deliverOscarEvent(target.url, body, { signature: "sha256=" + "zz".repeat(32) }), 401, "does not match"],
      ["not JSON", deliverOscarEvent(target.url, "{not json", { secret: target.secret }), 400, "The body is not JSON."],
      ["2 MB body", deliverOscarEvent(target.url, "x".repeat(2 * 1024 * 1024), { secret: target.secret }), 413, "larger than"],
      ["unknown shop key", deliverOscarEvent(`${stack.appUrl}/webhooks/oscar/AAAAAAAAAAAAAAAAAAAAAAAA`, body, { secret: target.secret }), 404, "No shop"],
    ];
    for (const [name, delivery, status, reason] of cases) {
      const response = await delivery;
      expect(response.status, name).toBe(status);
      expect((await response.json()).error, name).toContain(reason);
    }
    // A signed event of a type the app does not handle is acknowledged (so Oscar stops) but not queued.
    const unknown = await deliverOscarEvent(target.url, event("evt_future", { type: "contact.merged" }), { secret: target.secret });
    expect(unknown.status).toBe(202);
    expect(await unknown.json()).toEqual({ ignored: "The event type contact.merged is not handled." });

    expect(await oscarEventJobCount(stack)).toBe(0);
  });

  it("stores a delivered event once, however often and however concurrently it arrives", async () => {
    const body = event("evt_repeated");
    const concurrent = await Promise.all(Array.from({ length: 5 }, () => deliverOscarEvent(target.url, body, { secret: target.secret })));
    for (let i = 0; i < 5; i++) await deliverOscarEvent(target.url, body, { secret: target.secret });
    expect(concurrent.map((r) => r.status)).toEqual([202, 202, 202, 202, 202]);
    expect(await oscarEventJobCount(stack)).toBe(1);

    // Without an event id, the same body is recognised by its hash.
    const anonymous = event("ignored").replace('"id":"ignored",', "");
    await Promise.all(Array.from({ length: 3 }, () => deliverOscarEvent(target.url, anonymous, { secret: target.secret })));
    expect(await oscarEventJobCount(stack)).toBe(2);
  });

  it("keeps the event in its job sealed to the shop, byte for byte as Oscar signed it, numeric ids included", async () => {
    // Oscar may send ids as numbers (app/oscar/contract.ts); the job's key is the id as text.
    const body = JSON.stringify({ id: 4711, type: "conversation.created", data: { conversation_id: 99, contact: { id: "contact_n", name: "Noor", email: "noor@example.com" } } });
    expect((await deliverOscarEvent(target.url, body, { secret: target.secret })).status).toBe(202);

    const queue = new Queue("oscar-events", { connection: { url: stack.env.REDIS_URL }, prefix: stack.env.REDIS_PREFIX });
    try {
      const job = (await queue.getJobs(["waiting"])).find((candidate) => candidate.data.eventKey === "4711");
      expect(job?.data).toMatchObject({ shop: TEST_SHOP, eventKey: "4711", type: "conversation.created" });
      expect(JSON.stringify(job!.data)).not.toContain("noor@example.com");
      const keyring = parseKeyring(TEST_ENCRYPTION_KEYS);
      expect(decryptSecret(keyring, job!.data.sealedEvent, { shop: TEST_SHOP, field: SECRET_FIELDS.oscarEvent })).toBe(body);
      // Sealed to this shop and this field: copied anywhere else, it does not open.
      expect(() => decryptSecret(keyring, job!.data.sealedEvent, { shop: "other-shop.myshopify.com", field: SECRET_FIELDS.oscarEvent })).toThrow(DecryptionError);
    } finally {
      await queue.close();
    }
  });

  it("answers 503 while Redis is down, so Oscar redelivers, and the redelivered event is processed once", async () => {
    await installShop(stack);
    await redis.stop();
    const shopper = stack.fakeAdmin.store(TEST_SHOP).customers[0];
    const { conversationId } = oscar.scenario.shopperOpensConversation({ email: shopper.email, name: "Maya" });
    await waitFor("a refused delivery", () => oscar.inspect.webhookDeliveries().some((d) => d.status === 503));
    const refused = await deliverOscarEvent(target.url, event("evt_during_outage"), { secret: target.secret });
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("5");

    await redis.start();
    await stack.startWorker();
    await waitFor("the note", () => oscar.inspect.notes(conversationId).length > 0, 20_000);
    // Oscar's redeliveries answered and the jobs they queued finished: a second note would be written by now.
    await waitForOscarWorkSettled(stack, oscar);
    expect(oscar.inspect.notes(conversationId)).toHaveLength(1);
    const deliveries = oscar.inspect.webhookDeliveries().filter((d) => d.type === "conversation.created");
    expect(deliveries.some((d) => d.status === 503)).toBe(true);
    expect(deliveries.at(-1)?.status).toBe(202);
  });

  // Last: uninstalling disconnects the shop from Oscar.
  it("acknowledges a signed event of an unexpected shape and keeps it, encrypted, capped and expiring, until the shop uninstalls", async () => {
    const kept = new Redis(stack.env.REDIS_URL);
    const key = `${stack.env.REDIS_PREFIX}:oscar-unexpected-events:${TEST_SHOP}`;
    try {
      const jobsBefore = await oscarEventJobCount(stack);
      // A field Oscar renamed, then a body with no event envelope at all: signed, so Oscar's own.
      const renamed = event("evt_renamed", { data: { conversationId: "conv_x", contact: { id: "contact_x", email: "jane@example.com" } } });
      const first = await deliverOscarEvent(target.url, renamed, { secret: target.secret });
      expect(first.status).toBe(202);
      expect((await first.json()).kept).toContain("data.conversation_id");
      const bare = await deliverOscarEvent(target.url, JSON.stringify([{ note: "jane@example.com" }]), { secret: target.secret });
      expect(bare.status).toBe(202);
      // Not signed, or not JSON: still refused.
      expect((await deliverOscarEvent(target.url, renamed, { secret: "not-the-shop-secret" })).status).toBe(401);
      expect((await deliverOscarEvent(target.url, "{not json", { secret: target.secret })).status).toBe(400);

      expect(await oscarEventJobCount(stack)).toBe(jobsBefore);
      const stored = await kept.lrange(key, 0, -1);
      expect(stored.map((entry) => JSON.parse(entry).type)).toEqual(["unknown", "conversation.created"]);
      expect(stored.join("\n")).not.toContain("jane@example.com");
      expect(await kept.ttl(key)).toBeGreaterThan(UNEXPECTED_EVENTS_TTL_SECONDS - 60);

      // The merchant sees them on the Failed jobs page: what and which fields, never the content.
      const page = await loadRoute<{ unexpected: { type: string; problems: string }[] }>(stack, TEST_SHOP, FAILED_JOBS.path, FAILED_JOBS.id);
      expect(page.status).toBe(200);
      expect(page.body.unexpected).toEqual([
        { type: "unknown", problems: expect.any(String), receivedAt: expect.any(String) },
        { type: "conversation.created", problems: expect.stringContaining("data.conversation_id"), receivedAt: expect.any(String) },
      ]);
      expect(page.text).not.toContain("jane@example.com");

      // Bounded in count: the newest are kept.
      for (let i = 0; i < UNEXPECTED_EVENTS_KEPT + 3; i++) {
        const odd = JSON.stringify({ id: `evt_odd_${i}`, type: "bot.escalated", data: { conversation: "conv_x" } });
        expect((await deliverOscarEvent(target.url, odd, { secret: target.secret })).status).toBe(202);
      }
      expect(await kept.llen(key)).toBe(UNEXPECTED_EVENTS_KEPT);

      const uninstalled = await sendShopifyWebhook(stack.appUrl, shopifyDelivery("app/uninstalled", TEST_SHOP, shopifyPayloads.appUninstalled(TEST_SHOP)));
      expect(uninstalled.status).toBe(200);
      await waitFor("the kept events erased", async () => (await kept.exists(key)) === 0);
    } finally {
      kept.disconnect();
    }
  });
});
