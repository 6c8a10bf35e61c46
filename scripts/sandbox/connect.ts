import { Redis } from "ioredis";
import { createPrismaClient } from "../../app/db/client.server";
import { createLogger } from "../../app/logger.server";
import { DEFAULT_ESCALATION_RULES, saveEscalationRules } from "../../app/models/escalation-rules.server";
import { saveSlackUrl } from "../../app/models/slack-settings.server";
import { createOscarClient } from "../../app/oscar/client.server";
import { createOscarRateLimiter } from "../../app/oscar/rate-limit.server";
import { parseKeyring } from "../../app/security/encryption.server";
import { connectOscar } from "../../app/services/oscar-connection.server";
import type { OscarSimulator } from "../../sim/oscar/server";
import type { SlackReceiver } from "../../sim/slack/receiver";
import { startLoaderServer } from "../../test/storefront/loader-server";
import { startStorefront } from "../../test/storefront/storefront-site";

const BROWSER_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36";

/**
 * Installs the sandbox shop through the sandbox sign-in (the session-token exchange a merchant's
 * first open does), then connects it to the Oscar simulator through the app's own connect service
 * (key verified, webhook registered, secrets encrypted), with routing rules and local Slack alerts.
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
  return { db };
}

/**
 * A storefront-like site rendering the theme extension's real Liquid blocks, with a local stand-in for
 * Oscar's widget loader; `widgetId` reads the widget the app chose for the store, on each page view.
 */
export async function startSandboxStorefront(options: { widgetId?: () => string | undefined } = {}) {
  const loader = await startLoaderServer();
  const storefront = await startStorefront({ loaderUrl: loader.loaderUrl, widgetId: options.widgetId });
  return {
    pageUrl: storefront.pageUrl,
    async close() {
      await storefront.close();
      await loader.close();
    },
  };
}
