import type { PrismaClient } from "@prisma/client";
import type { Logger } from "../logger.server";
import { loadEscalationRules, saveEscalationRules, type EscalationRules } from "../models/escalation-rules.server";
import { findConnection, saveWidgetId } from "../models/oscar-connection.server";
import { loadOrderStatusSettings, saveOrderStatusSettings, type OrderStatusSettings } from "../models/order-status-settings.server";
import { saveSlackUrls, slackAlertsConfigured, slackUrlFor, type SlackAlertKind } from "../models/slack-settings.server";
import { ShopNotConnectedError } from "../oscar/for-shop.server";
import type { EncryptionKeyring } from "../security/encryption.server";
import type { AdminGraphql } from "../shopify/admin-graphql.server";
import { SlackDeliveryError, type SlackSender } from "../slack/slack.server";
import type { OscarClientFactory } from "../oscar/for-shop.server";
import { loadOscarChoices, unlistedIdProblem } from "./oscar-choices.server";
import type { FieldErrors, SettingsInput } from "./settings-validation.server";
import { publishStorefrontChat } from "./storefront-metafields.server";

/**
 * The merchant's settings as the settings page shows and saves them. What reaches the page never
 * holds a secret: the Oscar key appears as its last four characters, Slack URLs as "set" or not.
 */

export type SettingsDeps = { db: PrismaClient; keyring: EncryptionKeyring; logger: Logger };

export type OscarConnectionSummary = {
  keyLast4: string;
  workspaceName: string | null;
  widgetId: string | null;
  webhookRegisteredAt: Date | null;
  connectedAt: Date;
};

export type SettingsView = {
  connection: OscarConnectionSummary | null;
  rules: EscalationRules;
  slack: Record<SlackAlertKind, boolean>;
  orderStatus: OrderStatusSettings;
};

export async function loadSettings(db: PrismaClient, shop: string): Promise<SettingsView> {
  const [connection, rules, slack, orderStatus] = await Promise.all([
    findConnection(db, shop),
    loadEscalationRules(db, shop),
    slackAlertsConfigured(db, shop),
    loadOrderStatusSettings(db, shop),
  ]);
  return {
    connection: connection && {
      keyLast4: connection.apiKeyLast4,
      workspaceName: connection.workspaceName,
      widgetId: connection.widgetId,
      webhookRegisteredAt: connection.webhookRegisteredAt,
      connectedAt: connection.connectedAt,
    },
    rules,
    slack,
    orderStatus,
  };
}

/**
 * Shows a widget on the storefront: the metafield the theme reads is written first, and the id is
 * stored only once Shopify accepted it, so the page never claims a widget the store does not show.
 */
export async function chooseWidget(deps: { db: PrismaClient; graphql: AdminGraphql }, shop: string, widgetId: string): Promise<void> {
  if (!(await findConnection(deps.db, shop))) throw new ShopNotConnectedError();
  await publishStorefrontChat(deps.graphql, { widgetId, enabled: true });
  await saveWidgetId(deps.db, shop, widgetId);
}

/**
 * Checks the widget and agent ids the form names against the account's lists at Oscar, where Oscar
 * lists them: the page offers only listed ids, but a stale page or a forged form may not. Where Oscar
 * does not list them, a typed id is taken as the merchant copied it. Keyed by form field.
 */
export async function unlistedSettingsIds(deps: { db: PrismaClient; oscarForShop: OscarClientFactory }, shop: string, input: SettingsInput): Promise<FieldErrors> {
  const connection = await findConnection(deps.db, shop);
  if (!connection) return {};
  const widgetChanged = input.widgetId !== undefined && input.widgetId !== connection.widgetId;
  const { urgentAgentId, vipAgentId, botEscalationAgents } = input.rules;
  const agentsNamed = Boolean(urgentAgentId || vipAgentId || botEscalationAgents.length);
  if (!widgetChanged && !agentsNamed) return {};
  const { widgets, agents } = await loadOscarChoices(deps, shop, ["widgets", "agents"]);
  const problems: Record<string, string | null> = {
    widgetId: widgetChanged ? unlistedIdProblem("widgets", widgets, input.widgetId!) : null,
    urgentAgentId: urgentAgentId ? unlistedIdProblem("agents", agents, urgentAgentId) : null,
    vipAgentId: vipAgentId ? unlistedIdProblem("agents", agents, vipAgentId) : null,
    botEscalationAgents: botEscalationAgents.map((id) => unlistedIdProblem("agents", agents, id)).find(Boolean) ?? null,
  };
  return Object.fromEntries(Object.entries(problems).filter((entry): entry is [string, string] => entry[1] !== null));
}

/** Saves the whole settings form. A changed widget goes to the storefront first; if Shopify refuses, nothing is saved. */
export async function saveSettings(deps: SettingsDeps & { graphql: AdminGraphql }, shop: string, input: SettingsInput): Promise<void> {
  const connection = await findConnection(deps.db, shop);
  if (connection && input.widgetId !== undefined && input.widgetId !== connection.widgetId) {
    await publishStorefrontChat(deps.graphql, { widgetId: input.widgetId, enabled: true });
  }
  const slackChanges: Partial<Record<SlackAlertKind, string | null>> = {};
  for (const [kind, change] of Object.entries(input.slack) as Array<[SlackAlertKind, SettingsInput["slack"][SlackAlertKind]]>) {
    if (change.change === "set") slackChanges[kind] = change.url;
    if (change.change === "remove") slackChanges[kind] = null;
  }
  await deps.db.$transaction(async (tx) => {
    const db = tx as unknown as PrismaClient;
    if (connection && input.widgetId !== undefined) await saveWidgetId(db, shop, input.widgetId);
    await saveEscalationRules(db, shop, input.rules);
    await saveSlackUrls(db, deps.keyring, shop, slackChanges);
    await saveOrderStatusSettings(db, shop, input.orderStatus);
  });
  deps.logger.info({ shop, slackChanged: Object.keys(slackChanges) }, "settings saved");
}

export type SlackTestResult = { ok: boolean; sentence: string };

/** Sends a test message to the URL being typed, or else the saved one, and says what Slack answered. */
export async function sendSlackTest(
  deps: SettingsDeps & { sendSlack: SlackSender },
  shop: string,
  kind: SlackAlertKind,
  typedUrl: string | null,
  label: string,
): Promise<SlackTestResult> {
  const url = typedUrl ?? (await slackUrlFor(deps.db, deps.keyring, shop, kind));
  if (!url) return { ok: false, sentence: "There is no Slack URL for these alerts yet. Enter one first." };
  try {
    const answer = await deps.sendSlack(url, {
      text: `Test from Oscar Chat: ${label} will be posted in this channel.`,
      blocks: [{ type: "section", text: { type: "mrkdwn", text: `:wave: *Test from Oscar Chat*\n${label} will be posted in this channel.` } }],
    });
    return { ok: true, sentence: `Slack answered ${answer.status}: the test message was delivered.` };
  } catch (error) {
    if (error instanceof SlackDeliveryError) {
      const hint = error.status === 404 || error.status === 403 || error.status === 410 ? " The URL may have been revoked in Slack; create a new one." : "";
      return { ok: false, sentence: `${error.message}${hint}` };
    }
    throw error;
  }
}
