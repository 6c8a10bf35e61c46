/**
 * `npm run sandbox`: the whole app on this machine with no Shopify or Oscar account.
 * Starts the fake Shopify Admin API (seeded with a believable store), the Oscar simulator, a local
 * Slack receiver, the built app on an embedded SQLite file in sandbox mode, and the worker; installs
 * and connects the sandbox shop through the app's own services and finishes its setup as a merchant
 * would (widget picked, app embed on, knowledge synced); plays a short scripted support day and
 * prints its timeline (`--no-scenario` skips it); then keeps serving the admin, a storefront page with
 * the chat widget and prints the agent inbox. `--fresh-shop` leaves the shop unconnected instead.
 * Every run starts from a fresh sandbox database and fresh Redis keys.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { resolve } from "node:path";
import { Redis } from "ioredis";
import { ORDER_COMMAND_OPTIONAL_SCOPES } from "../app/services/order-command-access";
import { DEFAULT_SIM_API_KEY, startOscarSimulator } from "../sim/oscar/server";
import { createStoreFixture } from "../sim/shopify-admin/fixtures";
import { recordGrantedScopes } from "../app/services/access-scopes.server";
import { startFakeShopifyAdmin } from "../sim/shopify-admin/server";
import { startCustomerAccountHost } from "../sim/customer-account/host";
import { startSlackReceiver } from "../sim/slack/receiver";
import { buildUiExtensions } from "./build-ui-extensions";
import { connectSandboxShop, startSandboxStorefront } from "./sandbox/connect";
import { finishSetup, SANDBOX_MAX_REFUND, setupProgress, type FinishSetupDeps } from "./sandbox/finish-setup";
import { HISTORY_DAYS, playOscarHistory, writeAppHistory } from "./sandbox/history";
import { playScriptedDay } from "./sandbox/scripted-day";
import { workerNodeArgs } from "../workers/launch";

const args = new Set(process.argv.slice(2));
const env = process.env;

if (env.NODE_ENV === "production") {
  console.error("The sandbox refuses to start with NODE_ENV=production: it signs in without Shopify and must never face real merchants.");
  process.exit(1);
}

const port = Number(env.PORT ?? 3000);
const adminPort = Number(env.SANDBOX_ADMIN_API_PORT ?? 4100);
const oscarPort = Number(env.SANDBOX_OSCAR_PORT ?? 4200);
// The Slack receiver's URL is printed for pasting, so any free port does.
const slackPort = Number(env.SANDBOX_SLACK_PORT ?? 0);
// Known before the app starts: /sandbox?page=order-status leads there.
const accountPort = Number(env.SANDBOX_ACCOUNT_PORT ?? 4300);
const shop = env.SANDBOX_SHOP ?? "oscar-sandbox.myshopify.com";
const databaseFile = resolve(env.SANDBOX_DATABASE_FILE ?? "data/sandbox.sqlite");
const redisUrl = env.REDIS_URL ?? "redis://127.0.0.1:6379";
const redisPrefix = env.REDIS_PREFIX ?? "oscar-sandbox";
const appUrl = `http://127.0.0.1:${port}`;
const children: ChildProcess[] = [];

function log(line: string) {
  console.log(`[sandbox] ${line}`);
}

async function ensureRedis(): Promise<void> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on("error", () => {});
  const answers = await redis.connect().then(() => true, () => false);
  if (answers) {
    // Start cleanly: forget the previous sandbox run's queues and caches (only this prefix).
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${redisPrefix}:*`, "COUNT", 500);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== "0");
    redis.disconnect();
    return;
  }
  redis.disconnect();
  const { port: redisPort } = new URL(redisUrl);
  log(`no Redis answers at ${redisUrl}; starting redis-server on port ${redisPort || 6379}`);
  const child = spawn("redis-server", ["--port", redisPort || "6379", "--bind", "127.0.0.1", "--save", ""], { stdio: "ignore" });
  child.on("error", () => {
    console.error(`Redis is not running at ${redisUrl} and redis-server is not installed: install Redis (apt-get install redis-server) or set REDIS_URL.`);
    process.exit(1);
  });
  children.push(child);
  await new Promise((r) => setTimeout(r, 500));
}

function prepareDatabase(databaseUrl: string) {
  rmSync(databaseFile, { force: true });
  rmSync(`${databaseFile}-journal`, { force: true });
  const migrate = spawnSync(process.execPath, [resolve("node_modules/prisma/build/index.js"), "migrate", "deploy"], {
    env: { ...env, DATABASE_URL: databaseUrl },
    encoding: "utf8",
  });
  if (migrate.status !== 0) throw new Error(`Database migration failed:\n${migrate.stdout}${migrate.stderr}`);
}

async function buildApp() {
  if (args.has("--no-build")) return;
  const build = spawnSync(process.execPath, [resolve("node_modules/@remix-run/dev/dist/cli.js"), "vite:build"], { encoding: "utf8" });
  if (build.status !== 0) throw new Error(`Building the app failed:\n${build.stdout}${build.stderr}`);
  // The admin blocks page serves the UI extensions' bundles.
  await buildUiExtensions({ root: resolve(".") });
}

function startChild(name: string, argv: string[], childEnv: NodeJS.ProcessEnv, readyPattern: RegExp): Promise<ChildProcess> {
  const child = spawn(process.execPath, argv, { env: childEnv, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  return new Promise((resolveReady, reject) => {
    let output = "";
    const onData = (chunk: Buffer) => {
      output += chunk;
      if (env.SANDBOX_VERBOSE) process.stdout.write(`[${name}] ${chunk}`);
      if (readyPattern.test(output)) resolveReady(child);
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => reject(new Error(`${name} exited with code ${code}:\n${output}`)));
  });
}

async function main() {
  const databaseUrl = `file:${databaseFile}`;
  await ensureRedis();
  prepareDatabase(databaseUrl);
  await buildApp();

  // A fresh secret each run: tokens minted by a previous sandbox can never sign in.
  const apiSecret = randomBytes(24).toString("hex");
  const store = createStoreFixture({ shopDomain: shop, seed: 7, now: new Date() });
  const fakeAdmin = await startFakeShopifyAdmin({
    port: adminPort,
    host: "127.0.0.1",
    apiSecret,
    stores: { [shop]: store },
    // As shopify.app.toml declares them; finish-setup grants write_orders as a merchant turning refunds on would.
    declaredScopes: { optional: [...ORDER_COMMAND_OPTIONAL_SCOPES] },
  });
  log(`fake Shopify Admin API at ${fakeAdmin.url} (store ${shop})`);
  const slack = await startSlackReceiver({ port: slackPort });
  // Only this key is accepted, so pasting a wrong one shows what a merchant sees when Oscar refuses a key.
  // The agent inbox shows what the Slack receiver captured.
  const startOscar = (port: number) => startOscarSimulator({ port, host: "127.0.0.1", apiKeys: [DEFAULT_SIM_API_KEY], slackMessages: () => slack.deliveries });
  // The default port may be taken (another sandbox, `npm run oscar:sim`): then any free one, as its URL is printed.
  const oscar = await startOscar(oscarPort).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "EADDRINUSE" && !env.SANDBOX_OSCAR_PORT) return startOscar(0);
    throw error;
  });
  log(`Oscar simulator at ${oscar.url}`);

  const appEnv: NodeJS.ProcessEnv = {
    ...env,
    // The built app, served as the tests serve it (the config refuses sandbox mode in production).
    NODE_ENV: "test",
    PORT: String(port),
    HOST: "127.0.0.1",
    SHOPIFY_API_KEY: env.SHOPIFY_API_KEY ?? "sandbox-api-key",
    SHOPIFY_API_SECRET: apiSecret,
    // Like the database, the sandbox's secrets live for one run only.
    ENCRYPTION_KEYS: `1:${randomBytes(32).toString("base64")}`,
    SHOPIFY_APP_URL: appUrl,
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    REDIS_PREFIX: redisPrefix,
    SANDBOX_MODE: "true",
    SANDBOX_SHOP: shop,
    SANDBOX_ORDER_STATUS_URL: `http://127.0.0.1:${accountPort}`,
    SHOPIFY_ADMIN_API_ORIGIN: fakeAdmin.url,
    OSCAR_API_BASE: oscar.baseUrl,
  };

  await startChild("app", [resolve("server.mjs")], appEnv, /\[oscar-chat\] http/);
  log(`app at ${appUrl}`);
  await startChild("worker", workerNodeArgs(), appEnv, /worker ready/);
  log("worker running");

  // --fresh-shop leaves the shop unconnected, to walk through onboarding by hand (no scripted day).
  const freshShop = args.has("--fresh-shop");
  let db: Awaited<ReturnType<typeof connectSandboxShop>>["db"] | undefined;
  let setup: FinishSetupDeps | undefined;
  if (!freshShop) {
    // Oscar's side of the past weeks goes in before the webhook exists, so none of it is delivered.
    const history = playOscarHistory({ oscar, apiKey: DEFAULT_SIM_API_KEY, store });
    ({ db } = await connectSandboxShop({ appUrl, shop, databaseUrl, encryptionKeys: appEnv.ENCRYPTION_KEYS!, redisUrl, redisPrefix, oscar, slack, apiKey: DEFAULT_SIM_API_KEY }));
    log(`${shop} installed and connected to Oscar (key ${DEFAULT_SIM_API_KEY}), routing rules and Slack alerts set`);
    const seeded = await writeAppHistory({ db, shop, store, history });
    log(`${HISTORY_DAYS} days of past support for the analytics page: ${seeded.conversations} conversations, ${seeded.orders} orders (${seeded.assistedCandidates} by customers who had chatted)`);
    setup = { appUrl, apiKey: appEnv.SHOPIFY_API_KEY!, apiSecret, shop, db, oscar, oscarApiKey: DEFAULT_SIM_API_KEY, store };
    const setupStarted = Date.now();
    const finished = await finishSetup(setup);
    log(`widget ${finished.widgetId} picked from the account's widgets, app embed on in “${finished.themeName}”, bot ${finished.botId} learned the store (${finished.sourcesSent} sources sent) in ${((Date.now() - setupStarted) / 1000).toFixed(1)} s`);
    log(`refunds from the inbox on for agent ${finished.refunds.agentId}, up to ${SANDBOX_MAX_REFUND} (${finished.refunds.granted.length ? `${finished.refunds.granted.join(", ")} granted in the permission dialog` : "access already granted"})`);
  }
  // The storefront renders the widget the app wrote to the store's app-data metafield, as Shopify's theme would.
  const storefront = await startSandboxStorefront({ oscar, apiKey: DEFAULT_SIM_API_KEY, appUrl, shop, apiSecret, store, widgetId: () => store.metafields.find((m) => m.namespace === "oscar_chat" && m.key === "widget_id")?.value });
  // The shopper's side of customer accounts: "Get help with this order" on her order status pages.
  const shopper = store.customers[0];
  const account = await startCustomerAccountHost({
    shop,
    shopName: store.shop.name,
    apiKey: appEnv.SHOPIFY_API_KEY!,
    apiSecret,
    storefrontUrl: storefront.url,
    customer: { id: shopper.id, name: shopper.displayName },
    orders: store.orders.filter((o) => o.customerId === shopper.id).sort((a, b) => b.processedAt.localeCompare(a.processedAt)).map((o) => ({ id: o.id, name: o.name, processedAt: o.processedAt })),
    // Built with the sandbox's own URL written in, as `npm run build` writes SHOPIFY_APP_URL in.
    bundlePath: (await buildUiExtensions({ root: resolve("."), outDir: resolve(".cache/sandbox/ui-extensions"), appUrl, handles: ["order-help"] }))[0]!.file,
    port: accountPort,
  });
  let scenarioOk = true;
  if (db && !args.has("--no-scenario")) {
    // The merchant approving an optional scope: Shopify grants it, and app/scopes_update tells the app.
    const grantScopes = async (scopes: string[]) => {
      fakeAdmin.setGrantedScopes(scopes, shop);
      await recordGrantedScopes(db!, shop, scopes);
    };
    scenarioOk = await playScriptedDay({ appUrl, apiKey: appEnv.SHOPIFY_API_KEY!, apiSecret, shop, db, oscar, slack, store, grantScopes, flowTriggerCalls: fakeAdmin.flowTriggerCalls, print: (line) => console.log(line) });
  }

  const progress = setup ? await setupProgress(setup) : null;

  console.log("");
  log(scenarioOk ? "Sandbox ready." : "Sandbox ready, but a step of the scripted day failed (see above).");
  if (progress) log(`Setup complete: ${progress.done} of ${progress.total} steps done${progress.missing.length ? ` (still to do: ${progress.missing.join(", ")})` : ""}`);
  log(`Admin home (signed in as ${shop}): ${appUrl}/sandbox`);
  if (!freshShop) log(`Analytics (the past weeks and today): ${appUrl}/sandbox?page=analytics`);
  if (!freshShop) log(`Order actions (every order command agents wrote): ${appUrl}/sandbox?page=order-actions`);
  if (!freshShop) log(`Oscar Chat on the Shopify admin's customer and order pages: ${appUrl}/sandbox?page=admin-blocks`);
  log(`Storefront with the chat widget: ${storefront.pageUrl("product", { loggedIn: true })} (signed in as ${storefront.shopperName}; the chat is the Oscar simulator's widget)`);
  log(`The same page for a visitor who is not signed in: ${storefront.pageUrl("product")}`);
  log(`Order status page with "Get help with this order" (customer accounts stand-in, as ${shopper.displayName}): ${appUrl}/sandbox?page=order-status`);
  log(`Agent inbox (what Oscar's agents see, Slack messages too): ${oscar.url}/inbox`);
  log(`Shopify Flow triggers the app sent (recorded by the fake Admin API): ${appUrl}/sandbox/flow-triggers`);
  if (freshShop) {
    log(`Oscar API key to paste on the home page: ${DEFAULT_SIM_API_KEY}`);
    log(`Slack webhook URL to paste in Settings (a local receiver): ${slack.webhookUrl("alerts")}`);
  } else {
    log(`Slack alerts land in a local receiver: ${slack.webhookUrl("<channel>")}`);
  }
  log(`A shopper starts a chat: curl -X POST ${oscar.url}/_sim/conversations -H 'content-type: application/json' -d '{"email":"shopper@example.com","name":"Maya","message":"Where is my order?"}'`);
  log("Press Ctrl+C to stop.");

  const stop = async () => {
    for (const child of children) child.kill("SIGTERM");
    await db?.$disconnect();
    await Promise.all([fakeAdmin.close(), oscar.close(), slack.close(), storefront.close(), account.close()]);
    process.exit(0);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  for (const child of children) child.kill("SIGTERM");
  process.exit(1);
});
