import { Redis } from "ioredis";
import { createPrismaClient } from "../../app/db/client.server";
import { createLogger } from "../../app/logger.server";
import { DEFAULT_ESCALATION_RULES, saveEscalationRules } from "../../app/models/escalation-rules.server";
import { saveOrderStatusSettings } from "../../app/models/order-status-settings.server";
import { saveSlackUrl } from "../../app/models/slack-settings.server";
import { createOscarClient } from "../../app/oscar/client.server";
import { createOscarRateLimiter } from "../../app/oscar/rate-limit.server";
import { parseKeyring } from "../../app/security/encryption.server";
import { connectOscar } from "../../app/services/oscar-connection.server";
import type { OscarSimulator } from "../../sim/oscar/server";
import type { SlackReceiver } from "../../sim/slack/receiver";
import type { StoreFixture } from "../../sim/shopify-admin/fixtures";
import { startStorefront } from "../../test/storefront/storefront-site";

/** A browser's user agent: the Shopify library answers bots (curl, node) on admin pages with 410. */
export const BROWSER_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36";

/**
 * Installs the sandbox shop through the sandbox sign-in (the session-token exchange a merchant's
 * first open does), then connects it to the Oscar simulator through the app's own connect service
 * (key verified, webhook registered, secrets encrypted), with routing rules, local Slack alerts and
 * order-status self-service on.
 */
export async function connectSandboxShop(options: {
  appUrl: string;
  shop: string;
  databaseUrl: string;
  encryptionKeys: string;
  redisUrl: string;
  redisPrefix: string;
  oscar: OscarSimulator;
  slack: SlackReceiver;
  apiKey: string;
}) {
  const signIn = await fetch(`${options.appUrl}/sandbox`, { headers: { "User-Agent": BROWSER_UA } });
  await signIn.arrayBuffer();
  if (signIn.status !== 200) throw new Error(`The sandbox sign-in answered ${signIn.status}: the shop could not be installed.`);

  const db = createPrismaClient(options.databaseUrl);
  const keyring = parseKeyring(options.encryptionKeys);
  const logger = createLogger({ level: "silent" });
  const redis = new Redis(options.redisUrl);
  try {
    // The app's own limiter keys, so the worker and the connect share one Oscar budget.
    const limiter = createOscarRateLimiter({ redis, prefix: `${options.redisPrefix}:oscar-rate:` });
    await connectOscar(
      { db, keyring, appUrl: options.appUrl, logger, oscarWithKey: (key) => createOscarClient({ baseUrl: options.oscar.baseUrl, apiKey: key, logger, limiter }) },
      options.shop,
      options.apiKey,
    );
  } finally {
    redis.disconnect();
  }
  const agents = options.oscar.accountFor(options.apiKey).agentIds;
  await saveEscalationRules(db, options.shop, { ...DEFAULT_ESCALATION_RULES, urgentAgentId: agents[0], vipAgentId: agents[1], botEscalationAgents: [agents[1], agents[2]] });
  for (const kind of ["urgent", "vip", "botEscalation"] as const) await saveSlackUrl(db, keyring, options.shop, kind, options.slack.webhookUrl(kind));
  // Order questions asked in the storefront's chat get the app's answer (the simulator's bot leaves them to it).
  await saveOrderStatusSettings(db, options.shop, { enabled: true, sharedFields: ["status", "tracking"] });
  return { db };
}

/**
 * A storefront-like site rendering the theme extension's real Liquid blocks, with the Oscar simulator's
 * chat widget (the one the app wrote to the store's app-data metafield, read on each page view) and the real app proxy: a `?customer=1` page is signed in
 * as the store's first customer (Maya Okafor: a VIP whose latest order is in transit), so her chat
 * carries the identity the app signs for her.
 */
export async function startSandboxStorefront(options: { oscar: OscarSimulator; apiKey: string; appUrl: string; shop: string; apiSecret: string; store: StoreFixture; widgetId: () => string | undefined }) {
  const shopper = options.store.customers[0];
  const storefront = await startStorefront({
    loaderUrl: options.oscar.widgetLoaderUrl,
    widgetId: options.widgetId,
    appProxy: { appUrl: options.appUrl, shop: options.shop, apiSecret: options.apiSecret },
    customer: {
      id: Number(shopper.id.slice(shopper.id.lastIndexOf("/") + 1)),
      email: shopper.email,
      first_name: shopper.firstName,
      last_name: shopper.lastName,
      name: shopper.displayName,
    },
  });
  return {
    shopperName: shopper.displayName,
    url: storefront.url,
    pageUrl: storefront.pageUrl,
    close: () => storefront.close(),
  };
}
