import { getJwt } from "@shopify/shopify-api/test-helpers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { JOBS, QUEUES } from "../app/queues/jobs";
import { createJobProducer } from "../app/queues/producer.server";
import { createProducerConnection } from "../app/queues/redis.server";
import { decryptSecret, encryptSecret, SECRET_FIELDS } from "../app/security/encryption.server";
import { createCustomerLookup, customerCacheId } from "../app/services/customer-lookup.server";
import type { AdminGraphql } from "../app/shopify/admin-graphql.server";
import type { CustomerDataExport } from "../app/services/data-exports.server";
import { createUnexpectedOscarEvents } from "../app/services/unexpected-oscar-events.server";
import { startOscarSimulator, type OscarSimulator } from "../sim/oscar/server";
import { startSlackReceiver, type SlackReceiver } from "../sim/slack/receiver";
import { BROWSER_UA, installShop, startAppStack, TEST_API_KEY, TEST_API_SECRET, TEST_SHOP, type AppStack } from "./harness/app-stack";
import { SHARED_REDIS_URL } from "./harness/redis";
import { duplicateDelivery, sendShopifyWebhook, shopifyDelivery, shopifyPayloads, type ShopifyDelivery } from "./harness/shopify-webhooks";
import { customerTraces, databaseBytes, dumpRedis, type CustomerIdentifiers, dumpTables, openQueues, openSealedValues, plainTextHits, waitForQueuesIdle } from "./harness/stored-data";
import { connectShopToOscar, runSupportScenario, testKeyring, type SupportScenario } from "./harness/support-scenario";

const SHOP_A = TEST_SHOP;
const SHOP_B = "oscar-neighbour-shop.myshopify.com";
const KEY_A = "osk_lifecycle_shop_a_key_1001";
const KEY_B = "osk_lifecycle_shop_b_key_2002";
/** Installed only to be uninstalled with an expired token. */
const SHOP_C = "oscar-expired-token-shop.myshopify.com";

type QueuedEvent = { queue: string; id: string; state: string; shop: string; email: string | null; conversationId: string | null };

describe("Shopify lifecycle and privacy webhooks", () => {
  let oscar: OscarSimulator;
  let slack: SlackReceiver;
  let stack: AppStack;
  let a: SupportScenario;
  let b: SupportScenario;
  let worker: Awaited<ReturnType<AppStack["startWorker"]>>;
  const keyring = testKeyring();
  const prefix = () => `${stack.env.REDIS_PREFIX}:`;

  beforeAll(async () => {
    oscar = await startOscarSimulator({ apiKeys: [KEY_A, KEY_B] });
    slack = await startSlackReceiver();
    stack = await startAppStack({ label: "lifecycle", shops: [SHOP_A, SHOP_B, SHOP_C], extraEnv: { OSCAR_API_BASE: oscar.baseUrl } });
    for (const [shop, key] of [[SHOP_A, KEY_A], [SHOP_B, KEY_B]]) {
      await installShop(stack, shop);
      await connectShopToOscar(stack, oscar, slack, shop, key);
    }
    worker = await stack.startWorker();
    [a, b] = [await runSupportScenario(stack, oscar, SHOP_A, KEY_A), await runSupportScenario(stack, oscar, SHOP_B, KEY_B)];
    // Every delivery (retries and duplicates included) in, then every job done: later snapshots
    // must not see the scenario still settling.
    await oscar.webhooksIdle();
    await waitForQueuesIdle(stack);
    for (const [shop, scenario] of [[SHOP_A, a], [SHOP_B, b]] as const) {
      await recordOrderAction(shop, scenario.maya, { verified: true });
      // A command in her conversation before she was verified names no customer, but is hers.
      await recordOrderAction(shop, scenario.maya, { verified: false });
      await recordOrderAction(shop, scenario.liam, { verified: true });
    }
  });

  /** An agent's order command on the customer's first order, as the command engine records it. */
  async function recordOrderAction(shop: string, customer: SupportScenario["maya"], { verified }: { verified: boolean }) {
    const order = stack.fakeAdmin.store(shop).orders.find((o) => o.customerId === `gid://shopify/Customer/${customer.id}`)!;
    await stack.db.orderAction.create({
      data: {
        shop,
        conversationId: customer.conversationId,
        sourceMessageId: `note-${customer.id}-${verified}`,
        agentId: "agent_1",
        command: "refund",
        shopifyCustomerId: verified ? `gid://shopify/Customer/${customer.id}` : null,
        orderId: order.id,
        orderName: order.name,
        plan: JSON.stringify({ amount: "12.00", currencyCode: "EUR", notifyCustomer: true }),
        status: verified ? "done" : "expired",
        outcome: verified ? `Refunded EUR 12.00 on ${order.name}` : null,
      },
    });
  }

  afterAll(async () => {
    await stack?.close();
    await oscar?.close();
    await slack?.close();
  });

  const send = (delivery: ShopifyDelivery, options?: { secret?: string }) => sendShopifyWebhook(stack.appUrl, delivery, options);

  /** Every job of every queue with its decrypted event's contact email and conversation. */
  async function queuedEvents(): Promise<QueuedEvent[]> {
    const { queues, close } = openQueues(stack);
    try {
      const events: QueuedEvent[] = [];
      for (const queue of queues) {
        for (const job of await queue.getJobs(["waiting", "delayed", "prioritized", "active", "completed", "failed"])) {
          const data = job.data as { shop: string; sealedEvent?: string };
          const event = data.sealedEvent ? JSON.parse(decryptSecret(keyring, data.sealedEvent, { shop: data.shop, field: SECRET_FIELDS.oscarEvent })) : null;
          events.push({
            queue: queue.name,
            id: job.id!,
            state: await job.getState(),
            shop: data.shop,
            email: event?.data?.contact?.email ?? null,
            conversationId: event?.data?.conversation_id ?? null,
          });
        }
      }
      return events.sort((x, y) => `${x.queue}/${x.id}`.localeCompare(`${y.queue}/${y.id}`));
    } finally {
      await close();
    }
  }

  /**
   * Every table, and every Redis key and value under the run's prefix except those that expire
   * within minutes on their own (cached look-ups, locks, rate-limit slots, BullMQ's stalled check).
   */
  const isQueueMeta = (key: string) => Object.values(QUEUES).some((name) => key === `${stack.env.REDIS_PREFIX}:${name}:meta`);
  /**
   * BullMQ writes these two fields into a queue's meta hash whenever a process builds a Queue object
   * (the web process builds the lifecycle handler's queues on its first delivery, forged or not): the
   * library's bookkeeping, not data. Every other field of a meta hash (a pause, say) still counts.
   */
  const QUEUE_BOOKKEEPING = new Set(["version", "opts.maxLenEvents"]);
  const withoutQueueBookkeeping = ({ key, type, values }: { key: string; type: string; values: string[] }) => {
    if (!isQueueMeta(key)) return { key, type, values };
    const kept = values.flatMap((value, i) => (i % 2 === 0 && !QUEUE_BOOKKEEPING.has(value) ? [value, values[i + 1]!] : []));
    return { key, type, values: kept };
  };
  const snapshot = async ({ withDeliveryLog = true } = {}) => ({
    tables: await dumpTables(stack.db),
    redis: (await dumpRedis(stack))
      .filter((e) => e.ttlMs === -1 || e.ttlMs > 10 * 60_000)
      .filter((e) => withDeliveryLog || !e.key.includes(":shopify-webhook:"))
      .map(withoutQueueBookkeeping)
      .filter((e) => !(isQueueMeta(e.key) && e.values.length === 0)),
  });

  async function sessionToken(shop: string) {
    return (await getJwt(shop.replace(".myshopify.com", ""), TEST_API_KEY, TEST_API_SECRET)).token;
  }

  async function downloadExport(shop: string, path: string) {
    const response = await fetch(`${stack.appUrl}${path}`, { headers: { "User-Agent": BROWSER_UA, Authorization: `Bearer ${await sessionToken(shop)}` } });
    return { status: response.status, headers: response.headers, body: (await response.json()) as unknown };
  }

  /** Leaves work in the queues the way a stopped worker would: events waiting and one delayed. */
  async function queueEventsWithoutWorker(shop: string, scenario: SupportScenario, apiKey: string) {
    oscar.scenario.shopperWrites(scenario.maya.conversationId, "Any news on my refund?");
    oscar.scenario.shopperWrites(scenario.liam.conversationId, "Thanks, one more question");
    await oscar.webhooksIdle();
    const connection = createProducerConnection(SHARED_REDIS_URL);
    const producer = createJobProducer({ connection, prefix: stack.env.REDIS_PREFIX });
    const event = { type: "message.created", data: { conversation_id: scenario.maya.conversationId, message: { id: "m-later", content: "hello?", message_type: "incoming" }, contact: { id: "c", name: scenario.maya.name, email: scenario.maya.email } } };
    await producer.enqueue(
      "oscar.event",
      { shop, eventKey: `delayed-${apiKey}`, type: "message.created", receivedAt: Date.now(), sealedEvent: encryptSecret(keyring, JSON.stringify(event), { shop, field: SECRET_FIELDS.oscarEvent }) },
      { delay: 3_600_000 },
    );
    await producer.close();
    connection.disconnect();
  }

  /** Puts a customer's Shopify record in the look-up cache as a chat would, for an hour. */
  async function cacheCustomer(shop: string, email: string) {
    const connection = createProducerConnection(SHARED_REDIS_URL, { enableOfflineQueue: true });
    const lookup = createCustomerLookup({ redis: connection, prefix: prefix(), keyring, ttlSeconds: 3600 });
    const customer = stack.fakeAdmin.store(shop).customers.find((c) => c.email === email)!;
    const record = { ...customer, numberOfOrders: 1, amountSpent: { amount: "1.00", currencyCode: "EUR" }, orders: { nodes: [] } };
    // The email search answers with the candidate, the read by id with the whole record.
    const answer: AdminGraphql = async (query) =>
      new Response(JSON.stringify({ data: query.includes("CustomerById") ? { customer: record } : { customers: { nodes: [record] } } }));
    await lookup.byEmail(shop, email, async () => answer);
    connection.disconnect();
  }
  /** Keeps an event Oscar sent in a shape the app cannot read, as the ingest path does. */
  async function keepUnreadableEvent(shop: string, conversationId: string) {
    const connection = createProducerConnection(SHARED_REDIS_URL, { enableOfflineQueue: true });
    const kept = createUnexpectedOscarEvents({ redis: connection, prefix: prefix(), keyring });
    await kept.keep(shop, { type: "message.created", receivedAt: Date.now(), problems: "data.message missing" }, Buffer.from(JSON.stringify({ data: { conversation_id: conversationId } })));
    connection.disconnect();
  }
  /** Everything that names a scenario customer: her ids and GID, conversation, email, name, phone, and her orders' names and GIDs. */
  function identifiersOf(shop: string, customer: SupportScenario["maya"]): CustomerIdentifiers {
    const store = stack.fakeAdmin.store(shop);
    const gid = `gid://shopify/Customer/${customer.id}`;
    const record = store.customers.find((c) => c.id === gid)!;
    const orders = store.orders.filter((o) => o.customerId === gid);
    return {
      shop,
      unique: [customer.id, gid, customer.conversationId, ...orders.map((o) => o.id)],
      shared: [customer.email, customer.name, ...(record.phone ? [record.phone] : []), ...orders.map((o) => o.name)],
    };
  }
  /** Which kinds of storage a scan found a customer in. */
  const placesOf = (traces: string[]) =>
    [...new Set(traces.map((t) => (t.includes(" in a row of ") ? "table row" : t.includes("database's bytes") ? "database bytes" : t.includes(" sealed in ") ? "sealed in Redis" : "plain Redis")))].sort();
  const WHERE_CUSTOMERS_ARE_KEPT = ["database bytes", "sealed in Redis", "table row"];
  const cacheKeyOf = (shop: string, email: string) => `${prefix()}customer-cache:${customerCacheId(shop, email)}`;

  it("answers 401 to every topic signed with another secret, and nothing changes", async () => {
    const before = await snapshot();
    const deliveries = [
      shopifyDelivery("app/uninstalled", SHOP_A, shopifyPayloads.appUninstalled(SHOP_A)),
      shopifyDelivery("app/scopes_update", SHOP_A, shopifyPayloads.scopesUpdate(["read_orders"])),
      shopifyDelivery("customers/data_request", SHOP_A, shopifyPayloads.customersDataRequest(SHOP_A, a.maya, 1)),
      shopifyDelivery("customers/redact", SHOP_A, shopifyPayloads.customersRedact(SHOP_A, a.maya)),
      shopifyDelivery("shop/redact", SHOP_A, shopifyPayloads.shopRedact(SHOP_A)),
    ];
    for (const delivery of deliveries) {
      expect((await send(delivery, { secret: "not-the-app-secret-000000000000" })).status, delivery.topic).toBe(401);
    }
    expect(await snapshot()).toEqual(before);
    expect(oscar.inspect.webhooks()).toHaveLength(2);
  });

  it("refuses a signed payload naming another shop than the header", async () => {
    const response = await send(shopifyDelivery("shop/redact", SHOP_B, shopifyPayloads.shopRedact(SHOP_A)));
    expect(response.status).toBe(400);
    expect(await stack.db.shop.count({ where: { domain: { in: [SHOP_A, SHOP_B] } } })).toBe(2);
  });

  it("keeps the stored scopes current on app/scopes_update, the same after a repeat", async () => {
    const delivery = shopifyDelivery("app/scopes_update", SHOP_B, shopifyPayloads.scopesUpdate(["read_customers", "read_orders", "read_products"]));
    for (let i = 0; i < 2; i++) expect((await send(delivery)).status).toBe(200);
    expect((await stack.db.shop.findUnique({ where: { domain: SHOP_B } }))?.scopes).toBe("read_customers,read_orders,read_products");
    expect((await stack.db.session.findMany({ where: { shop: SHOP_B } })).map((s) => s.scope)).toEqual(["read_customers,read_orders,read_products"]);
    expect((await stack.db.shop.findUnique({ where: { domain: SHOP_A } }))?.scopes).not.toBe("read_customers,read_orders,read_products");
  });

  it("prepares a customers/data_request export the merchant downloads, once per delivery", async () => {
    await cacheCustomer(SHOP_A, a.maya.email);
    const delivery = shopifyDelivery("customers/data_request", SHOP_A, shopifyPayloads.customersDataRequest(SHOP_A, a.maya, 4242));
    expect((await send(delivery)).status).toBe(200);

    const download = await downloadExport(SHOP_A, "/data-exports/4242");
    expect(download.status).toBe(200);
    expect(download.headers.get("content-disposition")).toContain("customer-data-request-4242.json");
    const data = download.body as CustomerDataExport;
    expect(data.customer).toEqual({ shopifyCustomerId: a.maya.id, email: a.maya.email });
    expect(data.conversations.map((c) => c.conversationId)).toEqual([a.maya.conversationId]);
    expect(data.conversations[0]).toMatchObject({ enrichmentOutcome: "customer", urgentAt: expect.any(String), botEscalatedAt: expect.any(String) });
    expect(data.oscarNotes).toEqual([{ conversationId: a.maya.conversationId, description: expect.stringContaining("Shopify profile") }]);
    expect(data.oscarContactAttributes).toEqual(expect.arrayContaining(["shopify_customer_id", "shopify_total_spent", "escalated"]));
    expect(data.queuedEvents.map((e) => e.type)).toEqual(expect.arrayContaining(["bot.escalated", "conversation.created", "message.created"]));
    expect(data.queuedEvents.every((e) => (e.event as { data: { conversation_id: string } }).data.conversation_id === a.maya.conversationId)).toBe(true);
    expect(data.cachedShopifyCustomer).toMatchObject({ displayName: a.maya.name });
    // Both order commands in her conversation (the one before she was verified too), none of Liam's.
    const mayaOrder = stack.fakeAdmin.store(SHOP_A).orders.find((o) => o.customerId === `gid://shopify/Customer/${a.maya.id}`)!;
    expect(data.orderActions?.map((x) => [x.conversationId, x.command, x.orderName, x.status])).toEqual([
      [a.maya.conversationId, "refund", mayaOrder.name, "done"],
      [a.maya.conversationId, "refund", mayaOrder.name, "expired"],
    ]);
    expect(data.orderActions?.[0]).toMatchObject({ agentId: "agent_1", orderId: mayaOrder.id, outcome: `Refunded EUR 12.00 on ${mayaOrder.name}`, plan: { amount: "12.00", currencyCode: "EUR" } });
    // The Shopify Flow triggers her urgent, handed-off conversation set off.
    expect(data.shopifyFlow?.triggersSent.map((t) => [t.conversationId, t.trigger])).toEqual(expect.arrayContaining([[a.maya.conversationId, "urgent-conversation"], [a.maya.conversationId, "conversation-handed-to-team"]]));

    // A retry (same webhook id) and a duplicate (a new webhook id, the same X-Shopify-Event-Id) are
    // recognised: the export is not prepared a second time.
    expect((await send(delivery)).status).toBe(200);
    expect(((await downloadExport(SHOP_A, "/data-exports/4242")).body as CustomerDataExport).preparedAt).toBe(data.preparedAt);
    expect((await send(duplicateDelivery(delivery))).status).toBe(200);
    expect(((await downloadExport(SHOP_A, "/data-exports/4242")).body as CustomerDataExport).preparedAt).toBe(data.preparedAt);
    expect((await downloadExport(SHOP_A, "/data-exports")).body).toEqual({ exports: [expect.objectContaining({ dataRequestId: "4242", shopifyCustomerId: a.maya.id })] });

    // Another shop's merchant cannot fetch it.
    expect((await downloadExport(SHOP_B, "/data-exports/4242")).status).toBe(404);
    expect((await downloadExport(SHOP_B, "/data-exports")).body).toEqual({ exports: [] });
  });

  it("erases one customer on customers/redact and leaves every other customer as it was", async () => {
    // Work still queued (the worker is down), a delayed event, and cached look-ups, in both shops.
    await worker.stop();
    for (const [shop, scenario, key] of [[SHOP_A, a, KEY_A], [SHOP_B, b, KEY_B]] as const) {
      await queueEventsWithoutWorker(shop, scenario, key);
      await cacheCustomer(shop, scenario.maya.email);
      await cacheCustomer(shop, scenario.liam.email);
    }
    const before = await queuedEvents();
    const mayaA = (e: QueuedEvent) => e.shop === SHOP_A && (e.email === a.maya.email || e.conversationId === a.maya.conversationId);
    expect(new Set(before.filter(mayaA).map((e) => e.state))).toEqual(new Set(["waiting", "delayed", "completed"]));

    const everyShop = [SHOP_A, SHOP_B, SHOP_C];
    // The scan finds her before: in her conversation's row, the database's bytes and sealed Redis values.
    expect(placesOf(await customerTraces(stack, keyring, everyShop, identifiersOf(SHOP_A, a.maya)))).toEqual(WHERE_CUSTOMERS_ARE_KEPT);

    const delivery = shopifyDelivery("customers/redact", SHOP_A, shopifyPayloads.customersRedact(SHOP_A, a.maya));
    expect((await send(delivery)).status).toBe(200);
    const once = { tables: await dumpTables(stack.db), events: await queuedEvents(), redis: await dumpRedis(stack) };
    expect((await send(delivery)).status).toBe(200);
    expect((await send(duplicateDelivery(delivery))).status).toBe(200);
    expect((await send(shopifyDelivery("customers/redact", SHOP_A, shopifyPayloads.customersRedact(SHOP_A, a.maya)))).status).toBe(200);
    expect({ tables: await dumpTables(stack.db), events: await queuedEvents() }).toEqual({ tables: once.tables, events: once.events });

    // Maya of shop A is nowhere: records, queued events, cached look-up, the earlier export.
    expect(once.events.filter(mayaA)).toEqual([]);
    expect(await stack.db.conversationRecord.count({ where: { shop: SHOP_A, OR: [{ shopifyCustomerId: a.maya.id }, { conversationId: a.maya.conversationId }] } })).toBe(0);
    expect(await stack.db.orderAction.count({ where: { shop: SHOP_A, OR: [{ shopifyCustomerId: `gid://shopify/Customer/${a.maya.id}` }, { conversationId: a.maya.conversationId }] } })).toBe(0);
    expect(once.redis.map((e) => e.key)).not.toContain(cacheKeyOf(SHOP_A, a.maya.email));
    expect(openSealedValues(once.redis, keyring, [SHOP_A, SHOP_B, SHOP_C]).filter((o) => o.plaintext.includes(a.maya.conversationId))).toEqual([]);
    expect((await downloadExport(SHOP_A, "/data-exports/4242")).status).toBe(404);

    // A scan of every table, the database's bytes and every Redis key and value (sealed ones opened)
    // finds none of her identifiers, where the same scan still finds Liam, and Maya of shop B.
    expect(await customerTraces(stack, keyring, everyShop, identifiersOf(SHOP_A, a.maya))).toEqual([]);
    expect(placesOf(await customerTraces(stack, keyring, everyShop, identifiersOf(SHOP_A, a.liam)))).toEqual(WHERE_CUSTOMERS_ARE_KEPT);
    expect(placesOf(await customerTraces(stack, keyring, everyShop, identifiersOf(SHOP_B, b.maya)))).toEqual(WHERE_CUSTOMERS_ARE_KEPT);

    // Everyone else is as they were: Liam in shop A, and both customers in shop B (Maya has the same email there).
    expect(once.events.filter((e) => !mayaA(e))).toEqual(before.filter((e) => !mayaA(e)));
    expect(await stack.db.conversationRecord.count({ where: { shop: SHOP_A, conversationId: a.liam.conversationId } })).toBe(1);
    expect(await stack.db.conversationRecord.count({ where: { shop: SHOP_B } })).toBe(2);
    // Liam's order command stays; shop B's three stay.
    expect(await stack.db.orderAction.count({ where: { shop: SHOP_A, conversationId: a.liam.conversationId } })).toBe(1);
    expect(await stack.db.orderAction.count({ where: { shop: SHOP_B } })).toBe(3);
    const keys = once.redis.map((e) => e.key);
    for (const [shop, email] of [[SHOP_A, a.liam.email], [SHOP_B, b.maya.email], [SHOP_B, b.liam.email]]) expect(keys).toContain(cacheKeyOf(shop, email));
  });

  it("handles app/uninstalled for a shop whose expired offline token Shopify no longer refreshes", async () => {
    await installShop(stack, SHOP_C);
    await stack.db.session.updateMany({ where: { shop: SHOP_C }, data: { expires: new Date(Date.now() - 3_600_000), refreshToken: "revoked-by-the-uninstall" } });
    const payload = shopifyPayloads.appUninstalled(SHOP_C);

    expect((await send(shopifyDelivery("app/uninstalled", SHOP_C, payload), { secret: "not-the-app-secret-000000000000" })).status).toBe(401);
    expect(await stack.db.session.count({ where: { shop: SHOP_C } })).toBe(1);

    expect((await send(shopifyDelivery("app/uninstalled", SHOP_C, payload))).status).toBe(200);
    expect(await stack.db.session.count({ where: { shop: SHOP_C } })).toBe(0);
    expect((await stack.db.shop.findUnique({ where: { domain: SHOP_C } }))?.uninstalledAt).toBeInstanceOf(Date);
  });

  it("on app/uninstalled removes the Oscar webhook, the sessions and the queued work, and keeps the data until shop/redact", async () => {
    const { queues, close } = openQueues(stack);
    const shopSync = queues.find((q) => q.name === JOBS["shop.sync-details"].queue)!;
    for (const shop of [SHOP_A, SHOP_B]) await shopSync.upsertJobScheduler(`weekly-report-${shop}`, { every: 7 * 24 * 3_600_000 }, { name: "shop.sync-details", data: { shop } });
    const webhookA = (await stack.db.oscarConnection.findUnique({ where: { shop: SHOP_A } }))!.webhookId;
    const webhookB = (await stack.db.oscarConnection.findUnique({ where: { shop: SHOP_B } }))!.webhookId;
    expect(oscar.inspect.webhooks().map((w) => w.id)).toEqual(expect.arrayContaining([webhookA, webhookB]));
    const eventsB = (await queuedEvents()).filter((e) => e.shop === SHOP_B);

    const delivery = shopifyDelivery("app/uninstalled", SHOP_A, shopifyPayloads.appUninstalled(SHOP_A));
    expect((await send(delivery)).status).toBe(200);
    const schedulers = async () => (await shopSync.getJobSchedulers()).map((s) => s.key).sort();
    const once = { tables: await dumpTables(stack.db), events: await queuedEvents(), webhooks: oscar.inspect.webhooks(), schedulers: await schedulers() };
    expect((await send(delivery)).status).toBe(200);
    expect((await send(shopifyDelivery("app/uninstalled", SHOP_A, shopifyPayloads.appUninstalled(SHOP_A)))).status).toBe(200);
    expect({ tables: await dumpTables(stack.db), events: await queuedEvents(), webhooks: oscar.inspect.webhooks(), schedulers: await schedulers() }).toEqual(once);
    await close();

    expect(once.webhooks.map((w) => w.id)).toEqual([webhookB]);
    expect(await stack.db.session.count({ where: { shop: SHOP_A } })).toBe(0);
    expect(await stack.db.session.count({ where: { shop: SHOP_B } })).toBe(1);
    expect(await stack.db.oscarConnection.count({ where: { shop: SHOP_A } })).toBe(0);
    expect((await stack.db.shop.findUnique({ where: { domain: SHOP_A } }))?.uninstalledAt).toBeInstanceOf(Date);
    expect((await stack.db.shop.findUnique({ where: { domain: SHOP_B } }))?.uninstalledAt).toBeNull();
    expect(once.schedulers).toEqual([`weekly-report-${SHOP_B}`]);
    const cacheKeys = (await dumpRedis(stack)).map((e) => e.key);
    expect(cacheKeys).not.toContain(cacheKeyOf(SHOP_A, a.liam.email));
    expect(cacheKeys).toContain(cacheKeyOf(SHOP_B, b.liam.email));
    // No work of shop A is left to run; what it already did stays until shop/redact.
    const eventsA = once.events.filter((e) => e.shop === SHOP_A);
    expect(eventsA.filter((e) => e.state === "waiting" || e.state === "delayed")).toEqual([]);
    expect(eventsA.some((e) => e.state === "completed")).toBe(true);
    expect(await stack.db.conversationRecord.count({ where: { shop: SHOP_A } })).toBe(1);
    expect(once.events.filter((e) => e.shop === SHOP_B)).toEqual(eventsB);
  });

  it("on shop/redact erases everything the app holds for the shop, and nothing of its neighbour", async () => {
    const rowsOf = async (shop: string) => Object.fromEntries(Object.entries(await dumpTables(stack.db)).map(([table, rows]) => [table, (JSON.parse(rows) as Record<string, unknown>[]).filter((r) => r.shop === shop || r.domain === shop)]));
    const beforeB = { rows: await rowsOf(SHOP_B), events: (await queuedEvents()).filter((e) => e.shop === SHOP_B) };
    // A look-up that finished just after the uninstall left a cached customer behind, and an unreadable event was kept.
    await cacheCustomer(SHOP_A, a.liam.email);
    await keepUnreadableEvent(SHOP_A, a.liam.conversationId);

    const delivery = shopifyDelivery("shop/redact", SHOP_A, shopifyPayloads.shopRedact(SHOP_A));
    expect((await send(delivery)).status).toBe(200);
    // A second delivery of it, and a new delivery of the same request, change nothing but the delivery log.
    const once = await snapshot({ withDeliveryLog: false });
    expect((await send(delivery)).status).toBe(200);
    expect((await send(shopifyDelivery("shop/redact", SHOP_A, shopifyPayloads.shopRedact(SHOP_A)))).status).toBe(200);
    expect(await snapshot({ withDeliveryLog: false })).toEqual(once);

    // Nothing of shop A: no row, no byte of the database file, no Redis key or value, encrypted or not.
    for (const [table, rows] of Object.entries(once.tables)) expect(rows, table).not.toContain(SHOP_A);
    expect(databaseBytes(stack).includes(SHOP_A)).toBe(false);
    const redis = await dumpRedis(stack);
    const traces = [SHOP_A, a.maya.conversationId, a.liam.conversationId];
    expect(plainTextHits(redis, traces)).toEqual([]);
    expect(openSealedValues(redis, keyring, [SHOP_A, SHOP_B, SHOP_C]).filter((o) => traces.some((t) => o.plaintext.includes(t)))).toEqual([]);
    expect((await queuedEvents()).filter((e) => e.shop === SHOP_A)).toEqual([]);
    expect(redis.map((e) => e.key)).not.toContain(cacheKeyOf(SHOP_A, a.liam.email));

    // Shop B is untouched, and Oscar still delivers its events.
    expect({ rows: await rowsOf(SHOP_B), events: (await queuedEvents()).filter((e) => e.shop === SHOP_B) }).toEqual(beforeB);
    expect(oscar.inspect.webhooks()).toHaveLength(1);
    for (const email of [b.maya.email, b.liam.email]) expect(redis.map((e) => e.key)).toContain(cacheKeyOf(SHOP_B, email));
  });
});
