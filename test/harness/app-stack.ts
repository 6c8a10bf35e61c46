import type { PrismaClient } from "@prisma/client";
import { ORDER_COMMAND_OPTIONAL_SCOPES } from "../../app/services/order-command-access";
import { startFakeShopifyAdmin } from "../../sim/shopify-admin/server";
import { createStoreFixture, type StoreFixtureOptions } from "../../sim/shopify-admin/fixtures";
import { freshDatabase } from "./database";
import { freePort } from "./ports";
import { startAppServer, startWorkerProcess, type RunningProcess } from "./processes";
import { deleteKeysWithPrefix, SHARED_REDIS_URL, testRedisPrefix } from "./redis";

export const TEST_API_KEY = "oscar-test-api-key";
export const TEST_API_SECRET = "oscar-test-api-secret-0123456789";
export const TEST_SHOP = "oscar-test-shop.myshopify.com";
export const TEST_ENCRYPTION_KEYS = `1:${Buffer.alloc(32, 42).toString("base64")}`;

/** A browser's user agent: the Shopify library turns away bots (curl, node) from admin pages with 410. */
export const BROWSER_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36";

export type AppStack = {
  appUrl: string;
  env: Record<string, string>;
  db: PrismaClient;
  fakeAdmin: Awaited<ReturnType<typeof startFakeShopifyAdmin>>;
  app: RunningProcess;
  startWorker(extraEnv?: Record<string, string>): Promise<RunningProcess>;
  close(): Promise<void>;
};

/**
 * The real app as it runs in production (built Remix app under server.mjs, real worker process)
 * against a real SQLite file, real Redis and a fake Shopify Admin API over HTTP.
 */
export async function startAppStack({ label, redisUrl = SHARED_REDIS_URL, shops = [TEST_SHOP], extraEnv = {}, store = {} }: {
  label: string;
  redisUrl?: string;
  shops?: string[];
  extraEnv?: Record<string, string>;
  /** Options for every shop's fixture store, e.g. a fixed `now` for a test that pins dates. */
  store?: Omit<StoreFixtureOptions, "shopDomain">;
}): Promise<AppStack> {
  // Stores dated from today by default: the fake, like Shopify, shows only the last 60 days of orders.
  const fakeAdmin = await startFakeShopifyAdmin({
    port: 0,
    apiSecret: TEST_API_SECRET,
    // As shopify.app.toml declares them: order commands' scopes are optional, granted by none at install.
    declaredScopes: { optional: [...ORDER_COMMAND_OPTIONAL_SCOPES] },
    stores: Object.fromEntries(shops.map((shop, i) => [shop, createStoreFixture({ shopDomain: shop, seed: i + 1, now: new Date(), ...store })])),
  });
  const database = await freshDatabase(label);
  const port = await freePort();
  const prefix = testRedisPrefix(label);
  const appUrl = `http://127.0.0.1:${port}`;
  const env: Record<string, string> = {
    NODE_ENV: "test",
    PORT: String(port),
    HOST: "127.0.0.1",
    SHOPIFY_API_KEY: TEST_API_KEY,
    SHOPIFY_API_SECRET: TEST_API_SECRET,
    SHOPIFY_APP_URL: appUrl,
    ENCRYPTION_KEYS: TEST_ENCRYPTION_KEYS,
    DATABASE_URL: database.url,
    REDIS_URL: redisUrl,
    REDIS_PREFIX: prefix,
    SHOPIFY_ADMIN_API_ORIGIN: fakeAdmin.url,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "info",
    ...extraEnv,
  };
  const app = startAppServer(env);
  await app.waitForOutput(/\[oscar-chat\] http/);
  const db = database.connect();
  const workers: RunningProcess[] = [];

  return {
    appUrl,
    env,
    db,
    fakeAdmin,
    app,
    async startWorker(workerEnv = {}) {
      const worker = startWorkerProcess({ ...env, ...workerEnv });
      await worker.waitForOutput(/worker ready/);
      workers.push(worker);
      return worker;
    },
    async close() {
      await Promise.all([app.stop(), ...workers.map((w) => w.stop())]);
      await db.$disconnect();
      await fakeAdmin.close();
      if (redisUrl === SHARED_REDIS_URL) await deleteKeysWithPrefix(prefix);
    },
  };
}

/**
 * Installs the test shop the way Shopify does on first open: a document request carrying a valid
 * session token, which makes the app exchange it for an offline token and record the install.
 */
export async function installShop(stack: AppStack, shop = TEST_SHOP): Promise<void> {
  const { getJwt } = await import("@shopify/shopify-api/test-helpers");
  const { adminHostParam } = await import("../../app/sandbox/session-token.server");
  const { token } = await getJwt(shop.replace(".myshopify.com", ""), TEST_API_KEY, TEST_API_SECRET);
  const params = new URLSearchParams({ embedded: "1", shop, host: adminHostParam(shop), id_token: token });
  const response = await fetch(`${stack.appUrl}/app?${params}`, { headers: { "User-Agent": BROWSER_UA } });
  if (response.status !== 200) throw new Error(`installing ${shop} answered ${response.status}`);
  await response.text();
}
