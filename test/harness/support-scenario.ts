import { FLOW_TRIGGER_HANDLES } from "../../app/services/flow-triggers.server";
import { sendFlowTriggerLifecycle } from "../../sim/shopify-admin/flow-lifecycle";
import { APP_EXTENSIONS_DIR } from "../../sim/shopify-admin/server";
import { Redis } from "ioredis";
import { createLogger } from "../../app/logger.server";
import { DEFAULT_ESCALATION_RULES, saveEscalationRules } from "../../app/models/escalation-rules.server";
import { saveSlackUrl } from "../../app/models/slack-settings.server";
import { createOscarClient } from "../../app/oscar/client.server";
import { createOscarRateLimiter } from "../../app/oscar/rate-limit.server";
import { parseKeyring } from "../../app/security/encryption.server";
import { connectOscar } from "../../app/services/oscar-connection.server";
import type { startOscarSimulator } from "../../sim/oscar/server";
import type { SlackReceiver } from "../../sim/slack/receiver";
import { TEST_ENCRYPTION_KEYS, type AppStack } from "./app-stack";
import { SHARED_REDIS_URL } from "./redis";
import { signedInAs } from "./signed-in";
import { waitFor } from "./wait";

type OscarSimulator = Awaited<ReturnType<typeof startOscarSimulator>>;

export const testKeyring = () => parseKeyring(TEST_ENCRYPTION_KEYS);

/**
 * Connects a shop to its own Oscar account the way the settings page does (key verified, webhook
 * registered, secrets encrypted), with routing rules and Slack alerts set up.
 */
export async function connectShopToOscar(stack: AppStack, oscar: OscarSimulator, slack: SlackReceiver, shop: string, apiKey: string): Promise<void> {
  const redis = new Redis(SHARED_REDIS_URL);
  const logger = createLogger({ level: "silent" });
  const keyring = testKeyring();
  try {
    // The app's own limiter prefix, so the keys it leaves are the ones production leaves.
    const limiter = createOscarRateLimiter({ redis, prefix: `${stack.env.REDIS_PREFIX}:oscar-rate:` });
    await connectOscar({ db: stack.db, keyring, appUrl: stack.appUrl, logger, oscarWithKey: (key) => createOscarClient({ baseUrl: oscar.baseUrl, apiKey: key, logger, limiter }) }, shop, apiKey);
  } finally {
    redis.disconnect();
  }
  const agents = oscar.accountFor(apiKey).agentIds;
  await saveEscalationRules(stack.db, shop, { ...DEFAULT_ESCALATION_RULES, urgentAgentId: agents[0], vipAgentId: agents[1], botEscalationAgents: [agents[1], agents[2]] });
  for (const kind of ["urgent", "vip", "botEscalation"] as const) await saveSlackUrl(stack.db, keyring, shop, kind, slack.webhookUrl(kind));
  // The merchant's Shopify Flow workflows use every trigger (what Flow's lifecycle callback tells the app).
  for (const trigger of Object.values(FLOW_TRIGGER_HANDLES)) {
    const answer = await sendFlowTriggerLifecycle({ appUrl: stack.appUrl, apiSecret: stack.env.SHOPIFY_API_SECRET!, extensionsDir: APP_EXTENSIONS_DIR, shop, trigger, enabled: true });
    if (!answer.ok) throw new Error(`the app answered Flow's lifecycle callback for ${trigger} with ${answer.status}`);
  }
}

/** What the shoppers write: text that must never be stored readable. */
export const SCENARIO_MESSAGES = ["I was charged twice, I want a refund", "Do you ship to Norway?"];

export type ScenarioCustomer = { id: string; email: string; name: string };

export type SupportScenario = {
  shop: string;
  /** Maya: enriched, urgent, escalated by the bot. Liam: enriched, resolved. */
  maya: ScenarioCustomer & { conversationId: string };
  liam: ScenarioCustomer & { conversationId: string };
};

/** A day of support for one shop, run through Oscar's webhooks and the worker, until the app has done all of it. */
export async function runSupportScenario(stack: AppStack, oscar: OscarSimulator, shop: string, apiKey: string): Promise<SupportScenario> {
  const workspaceId = oscar.accountFor(apiKey).workspaceId;
  const [first, second] = stack.fakeAdmin.store(shop).customers;
  const customer = (c: typeof first): ScenarioCustomer => ({ id: c.id.split("/").pop()!, email: c.email, name: c.displayName });
  // Both are logged in to the store, so the app links their conversations to their Shopify ids.
  const maya = oscar.scenario.shopperOpensConversation({ workspaceId, email: first.email, name: first.displayName, message: SCENARIO_MESSAGES[0], customAttributes: signedInAs(first, { shop }) });
  const liam = oscar.scenario.shopperOpensConversation({ workspaceId, email: second.email, name: second.displayName, message: SCENARIO_MESSAGES[1], customAttributes: signedInAs(second, { shop }) });

  const record = (conversationId: string) => stack.db.conversationRecord.findUnique({ where: { shop_conversationId: { shop, conversationId } } });
  await waitFor("both conversations enriched", async () => (await record(maya.conversationId))?.enrichedAt && (await record(liam.conversationId))?.enrichedAt);
  await waitFor("the urgent alert recorded", async () => (await record(maya.conversationId))?.urgentAt);
  oscar.scenario.botEscalates(maya.conversationId, "shopper asked for a human");
  oscar.scenario.agentResolves(liam.conversationId, { csatScore: 5 });
  await waitFor("the bot escalation handled", async () => (await record(maya.conversationId))?.botEscalatedAt);
  await waitFor("the resolution recorded", async () => (await record(liam.conversationId))?.resolvedAt);
  await oscar.webhooksIdle();

  return {
    shop,
    maya: { ...customer(first), conversationId: maya.conversationId },
    liam: { ...customer(second), conversationId: liam.conversationId },
  };
}
