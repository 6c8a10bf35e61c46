import { createCipheriv, randomBytes } from "node:crypto";
import { ApiVersion } from "@shopify/shopify-api";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { slackUrlFor, SLACK_URL_COLUMNS } from "../../app/models/slack-settings.server";
import { createJobProducer } from "../../app/queues/producer.server";
import { createProducerConnection } from "../../app/queues/redis.server";
import { EncryptedSessionStorage } from "../../app/security/encrypted-session-storage.server";
import { decryptSecret, encryptSecret, generateKeyringEntry, parseKeyring, SECRET_FIELDS, type EncryptionKeyring } from "../../app/security/encryption.server";
import { createDataExportStore, type CustomerDataExport } from "../../app/services/data-exports.server";
import { startOscarSimulator, type OscarSimulator } from "../../sim/oscar/server";
import { SHOP_DOMAIN_HEADER } from "../../sim/shopify-admin/server";
import { startSlackReceiver, type SlackReceiver } from "../../sim/slack/receiver";
import { installShop, startAppStack, TEST_ENCRYPTION_KEYS, TEST_SHOP, type AppStack } from "../harness/app-stack";
import { deliverOscarEvent, oscarWebhookTarget } from "../harness/oscar-webhook";
import { startAppServer, startTsxScript, type RunningProcess } from "../harness/processes";
import { SHARED_REDIS_URL } from "../harness/redis";
import { databaseBytes, openQueues } from "../harness/stored-data";
import { connectShopToOscar } from "../harness/support-scenario";

/**
 * Issue 17, "Secrets at rest": session tokens sealed, ciphertexts bound to their shop and field, full
 * GCM tags, and a key rotation that ends with the old key gone and every secret still readable.
 * Against the built server and the real worker, with the database and Redis read as they are stored.
 */

const SHOP_A = TEST_SHOP;
const SHOP_B = "oscar-secrets-neighbour.myshopify.com";
const KEY_A = "osk_secrets_at_rest_key_a_4410";
const KEY_B = "osk_secrets_at_rest_key_b_4411";
const OLD_KEYS = TEST_ENCRYPTION_KEYS;
const NEW_KEY = generateKeyringEntry(2);

const sessionStorage = (keyring: EncryptionKeyring, stack: AppStack) => new EncryptedSessionStorage(new PrismaSessionStorage(stack.db), keyring);

/** A secret as the app sealed them before associated data existed (format 1): what older rows hold. */
function sealFormat1(keyring: EncryptionKeyring, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keyring.keys.get(keyring.current)!, iv, { authTagLength: 16 });
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [`v${keyring.current}`, ...[iv, cipher.getAuthTag(), ciphertext].map((p) => p.toString("base64url"))].join(".");
}

/** Asks the fake Admin API whether a token is a live access token for the shop. */
async function adminAccepts(stack: AppStack, shop: string, token: string): Promise<boolean> {
  const response = await fetch(`${stack.fakeAdmin.url}/admin/api/${ApiVersion.October26}/graphql.json`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-shopify-access-token": token, [SHOP_DOMAIN_HEADER]: shop },
    body: JSON.stringify({ query: "{ shop { name } }" }),
  });
  return response.status === 200;
}

describe("secrets at rest", () => {
  let oscar: OscarSimulator;
  let slack: SlackReceiver;
  let stack: AppStack;
  const running: RunningProcess[] = [];
  const oldKeyring = parseKeyring(OLD_KEYS);

  beforeAll(async () => {
    oscar = await startOscarSimulator({ apiKeys: [KEY_A, KEY_B] });
    slack = await startSlackReceiver();
    stack = await startAppStack({ label: "secrets-at-rest", shops: [SHOP_A, SHOP_B], extraEnv: { OSCAR_API_BASE: oscar.baseUrl } });
    for (const [shop, key] of [[SHOP_A, KEY_A], [SHOP_B, KEY_B]]) {
      await installShop(stack, shop);
      await connectShopToOscar(stack, oscar, slack, shop, key);
    }
  });

  afterAll(async () => {
    await Promise.all(running.map((p) => p.stop()));
    await stack?.close();
    await oscar?.close();
    await slack?.close();
  });

  it("keeps the offline access and refresh tokens out of the session table's bytes", async () => {
    const rows = await stack.db.session.findMany({ where: { shop: SHOP_A } });
    expect(rows).toHaveLength(1);
    expect(rows[0].accessToken).toMatch(/^s2\.1\./);

    // What the app reads back is the live token Shopify issued: the scan below looks for the real thing.
    const session = (await sessionStorage(oldKeyring, stack).loadSession(rows[0].id))!;
    expect(await adminAccepts(stack, SHOP_A, session.accessToken!)).toBe(true);
    const tokens = [session.accessToken!, session.refreshToken!];
    // Expiring offline tokens (app/shopify.server.ts) come with a refresh token: sealed too.
    expect(session.refreshToken).toMatch(/^shprt_/);
    expect(rows[0].refreshToken).toMatch(/^s2\.1\./);

    const bytes = databaseBytes(stack);
    expect(bytes.length).toBeGreaterThan(0);
    for (const token of tokens) expect(bytes.includes(token), "a session token in the database's bytes").toBe(false);
  });

  it("refuses a ciphertext moved to another shop's row or another column", async () => {
    const a = await stack.db.oscarConnection.findUniqueOrThrow({ where: { shop: SHOP_A } });
    const b = await stack.db.oscarConnection.findUniqueOrThrow({ where: { shop: SHOP_B } });
    const refused = /belongs to another shop or field/;
    // Shop A's Oscar key in shop B's row, and in the webhook secret's column.
    expect(() => decryptSecret(oldKeyring, a.apiKeyCiphertext, { shop: SHOP_B, field: SECRET_FIELDS.oscarApiKey })).toThrow(refused);
    expect(() => decryptSecret(oldKeyring, a.apiKeyCiphertext, { shop: SHOP_A, field: SECRET_FIELDS.oscarWebhookSecret })).toThrow(refused);
    expect(decryptSecret(oldKeyring, b.apiKeyCiphertext, { shop: SHOP_B, field: SECRET_FIELDS.oscarApiKey })).toBe(KEY_B);

    // Through the app's own reads: a session token and a Slack URL copied across shops do not open.
    const sessionA = await stack.db.session.findFirstOrThrow({ where: { shop: SHOP_A } });
    const sessionB = await stack.db.session.findFirstOrThrow({ where: { shop: SHOP_B } });
    const slackA = await stack.db.slackSettings.findUniqueOrThrow({ where: { shop: SHOP_A } });
    const slackB = await stack.db.slackSettings.findUniqueOrThrow({ where: { shop: SHOP_B } });
    try {
      await stack.db.session.update({ where: { id: sessionB.id }, data: { accessToken: sessionA.accessToken } });
      await expect(sessionStorage(oldKeyring, stack).loadSession(sessionB.id)).rejects.toThrow(refused);
      await stack.db.slackSettings.update({ where: { shop: SHOP_B }, data: { urgentUrlCiphertext: slackA.urgentUrlCiphertext } });
      await expect(slackUrlFor(stack.db, oldKeyring, SHOP_B, "urgent")).rejects.toThrow(refused);
      // Another alert kind's column of the same shop.
      await stack.db.slackSettings.update({ where: { shop: SHOP_B }, data: { urgentUrlCiphertext: slackB.vipUrlCiphertext } });
      await expect(slackUrlFor(stack.db, oldKeyring, SHOP_B, "urgent")).rejects.toThrow(refused);
    } finally {
      await stack.db.session.update({ where: { id: sessionB.id }, data: { accessToken: sessionB.accessToken } });
      await stack.db.slackSettings.update({ where: { shop: SHOP_B }, data: { urgentUrlCiphertext: slackB.urgentUrlCiphertext } });
    }
  });

  it("refuses a stored secret whose auth tag was cut short", async () => {
    const slackA = await stack.db.slackSettings.findUniqueOrThrow({ where: { shop: SHOP_A } });
    const [format, version, iv, tag, ciphertext] = slackA.reportUrlCiphertext?.split(".") ?? slackA.urgentUrlCiphertext!.split(".");
    const fourByteTag = Buffer.from(tag, "base64url").subarray(0, 4).toString("base64url");
    try {
      await stack.db.slackSettings.update({ where: { shop: SHOP_A }, data: { urgentUrlCiphertext: [format, version, iv, fourByteTag, ciphertext].join(".") } });
      await expect(slackUrlFor(stack.db, oldKeyring, SHOP_A, "urgent")).rejects.toThrow("malformed");
    } finally {
      await stack.db.slackSettings.update({ where: { shop: SHOP_A }, data: { urgentUrlCiphertext: slackA.urgentUrlCiphertext } });
    }
  });

  it("rotates keys: new key first, the worker re-encrypts, the old key is dropped, and a fresh process reads every secret", { timeout: 180_000 }, async () => {
    const storedSession = (await sessionStorage(oldKeyring, stack).findSessionsByShop(SHOP_A))[0];
    const webhookTargets: Record<string, { url: string; secret: string }> = { [SHOP_A]: await oscarWebhookTarget(stack.db, stack.appUrl, SHOP_A), [SHOP_B]: await oscarWebhookTarget(stack.db, stack.appUrl, SHOP_B) };

    // Rows as older versions left them: a session token in plain text, a format-1 webhook secret.
    await stack.db.session.update({ where: { id: storedSession.id }, data: { accessToken: storedSession.accessToken } });
    await stack.db.oscarConnection.update({ where: { shop: SHOP_B }, data: { webhookSecretCiphertext: sealFormat1(oldKeyring, webhookTargets[SHOP_B].secret) } });
    // Redis entries that outlive a deploy: an event job waiting an hour, a data export kept 30 days.
    const redis = createProducerConnection(SHARED_REDIS_URL, { enableOfflineQueue: true });
    const producer = createJobProducer({ connection: redis, prefix: stack.env.REDIS_PREFIX });
    const event = { type: "message.created", data: { conversation_id: "conv_rotation", contact: { id: "c", email: "rotation@example.com" } } };
    const delayed = await producer.enqueue(
      "oscar.event",
      { shop: SHOP_A, eventKey: "rotation-delayed", type: event.type, receivedAt: Date.now(), sealedEvent: encryptSecret(oldKeyring, JSON.stringify(event), { shop: SHOP_A, field: SECRET_FIELDS.oscarEvent }) },
      { delay: 3_600_000 },
    );
    await producer.close();
    const exportData: CustomerDataExport = {
      topic: "customers/data_request", shop: SHOP_B, dataRequestId: "5150", preparedAt: new Date().toISOString(), expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
      customer: { shopifyCustomerId: "gid://shopify/Customer/1", email: "export@example.com" }, conversations: [], orders: [], oscarNotes: [],
      oscarContactAttributes: [], queuedEvents: [], cachedShopifyCustomer: null,
    };
    await createDataExportStore({ redis, prefix: `${stack.env.REDIS_PREFIX}:`, keyring: oldKeyring }).save(exportData);

    // Steps 2-3: the new key goes first, the old one stays; a worker starts with it (the web app's
    // restart is the fresh one below, one server start fewer on a shared machine).
    const rotatedKeys = `${NEW_KEY},${OLD_KEYS}`;
    await stack.app.stop();
    const worker = await stack.startWorker({ ENCRYPTION_KEYS: rotatedKeys });

    // Step 4: the worker counts what uses the old key at start-up and queues the re-encryption.
    await worker.waitForOutput(/secrets re-encrypted; 0 still under an old key, 0 unreadable/, 60_000);
    const counted = /(\d+) stored secrets use an old key or format/.exec(worker.output());
    // Both shops: 2 session tokens (access, refresh when issued), 2 Oscar secrets, 3 Slack URLs each; plus the job and the export.
    expect(Number(counted?.[1])).toBeGreaterThanOrEqual(2 * (1 + 2 + 3) + 2);
    await worker.stop();

    // Step 5: the count, from the operator's script, with the new key alone: zero, exit 0.
    const newOnly = { ...stack.env, ENCRYPTION_KEYS: NEW_KEY };
    const check = startTsxScript("scripts/reencrypt-secrets.ts", ["--count"], newOnly);
    running.push(check);
    expect((await check.exited()).code, check.output()).toBe(0);
    expect(check.output()).toContain("Still under an old key or format: 0");

    // Step 6: the old key is dropped. A fresh app and worker with the new key alone read everything.
    const freshApp = startAppServer(newOnly);
    running.push(freshApp);
    await freshApp.waitForOutput(/\[oscar-chat\] http/);
    const freshWorker = await stack.startWorker(newOnly);
    await freshWorker.waitForOutput(/0 stored secrets use an old key or format, 0 cannot be opened/);

    // The ingest route opens each shop's webhook secret (shop B's was format 1).
    for (const shop of [SHOP_A, SHOP_B]) {
      const body = JSON.stringify({ id: `evt_after_rotation_${shop}`, type: "conversation.created", data: { conversation_id: `conv_${shop}`, contact: { id: "c1", email: "after@example.com" } } });
      expect((await deliverOscarEvent(webhookTargets[shop].url, body, { secret: webhookTargets[shop].secret })).status, shop).toBe(202);
    }

    // Every row and kept Redis entry opens with the new key alone, and nothing is left in the old format or plain text.
    const newKeyring = parseKeyring(NEW_KEY);
    for (const [shop, key] of [[SHOP_A, KEY_A], [SHOP_B, KEY_B]]) {
      const connection = await stack.db.oscarConnection.findUniqueOrThrow({ where: { shop } });
      expect(decryptSecret(newKeyring, connection.apiKeyCiphertext, { shop, field: SECRET_FIELDS.oscarApiKey })).toBe(key);
      expect(decryptSecret(newKeyring, connection.webhookSecretCiphertext!, { shop, field: SECRET_FIELDS.oscarWebhookSecret })).toBe(webhookTargets[shop].secret);
      for (const kind of ["urgent", "vip", "botEscalation"] as const) expect(await slackUrlFor(stack.db, newKeyring, shop, kind)).toBe(slack.webhookUrl(kind));
      const [session] = await sessionStorage(newKeyring, stack).findSessionsByShop(shop);
      expect(await adminAccepts(stack, shop, session.accessToken!)).toBe(true);
    }
    const sessionRow = await stack.db.session.findUniqueOrThrow({ where: { id: storedSession.id } });
    expect(sessionRow.accessToken).toMatch(/^s2\.2\./);
    expect((await sessionStorage(newKeyring, stack).loadSession(storedSession.id))?.accessToken).toBe(storedSession.accessToken);
    for (const row of await stack.db.slackSettings.findMany()) {
      for (const column of Object.values(SLACK_URL_COLUMNS)) if (row[column]) expect(row[column]).toMatch(/^s2\.2\./);
    }

    const { queues, close } = openQueues(stack);
    try {
      const job = await queues.find((q) => q.name === "oscar-events")!.getJob(delayed.id);
      const data = job!.data as { sealedEvent: string };
      expect(JSON.parse(decryptSecret(newKeyring, data.sealedEvent, { shop: SHOP_A, field: SECRET_FIELDS.oscarEvent }))).toEqual(event);
    } finally {
      await close();
    }
    expect(await createDataExportStore({ redis, prefix: `${stack.env.REDIS_PREFIX}:`, keyring: newKeyring }).read(SHOP_B, "5150")).toEqual(exportData);
    expect(await redis.pttl(`${stack.env.REDIS_PREFIX}:data-export:${SHOP_B}:5150`)).toBeGreaterThan(0);
    redis.disconnect();
  });
});
