import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { Page } from "@shopify/polaris";
import { z } from "zod";
import { useResultToast } from "../../components/use-result-toast";
import prisma from "../../db.server";
import { formFailed, formSucceeded } from "../../http/form-result.server";
import { findShop } from "../../models/shop.server";
import { SLACK_ALERT_KINDS } from "../../models/slack-settings.server";
import { describeOscarFailure, disconnectOscar, rotateOscarKey } from "../../services/oscar-connection.server";
import { loadOscarChoices } from "../../services/oscar-choices.server";
import { allowLoopbackSlack, oscarChoicesDeps, oscarConnectionDeps, sendSlack, settingsDeps } from "../../services/settings-context.server";
import { loadSettings, saveSettings, sendSlackTest, unlistedSettingsIds } from "../../services/settings.server";
import { API_KEY_FIELD, parseField, parseSettingsForm, slackWebhookUrl } from "../../services/settings-validation.server";
import { publishStorefrontChat, StorefrontSyncError } from "../../services/storefront-metafields.server";
import { formatShopTime } from "../../services/shop-time";
import { authenticate } from "../../shopify.server";
import { pageTitle } from "../../components/page-title";
import { loadOrderCommandSettings, ORDER_COMMAND_KINDS } from "../../models/order-commands.server";
import { ORDER_COMMAND_OPTIONAL_SCOPES } from "../../services/order-command-access";
import { saveOrderCommands, turnOnGrantedCommands, unlistedOrderCommandAgents } from "../../services/order-command-settings.server";
import { parseOrderCommandSettingsForm } from "../../services/order-command-settings-validation.server";
import { SLACK_ALERTS } from "./labels";
import { SettingsForm } from "./settings-form";
import type { SettingsAction } from "./types";

export const meta = pageTitle("Settings");

/** The scopes Shopify grants the shop now, asked of Shopify itself (the stored copy may lag a scopes_update). */
async function grantedScopes(scopes: { query: () => Promise<{ granted: string[] }> }): Promise<string[] | null> {
  try {
    return (await scopes.query()).granted;
  } catch {
    return null;
  }
}

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session, scopes } = await authenticate.admin(request);
  const [shop, settings, orderCommands, granted] = await Promise.all([
    findShop(prisma, session.shop),
    loadSettings(prisma, session.shop),
    loadOrderCommandSettings(prisma, session.shop),
    grantedScopes(scopes),
  ]);
  const timeZone = shop?.ianaTimezone ?? null;
  const { connection } = settings;
  // The widget and agent pickers offer the account's own lists, read here so the key stays on the server.
  const choices = connection ? await loadOscarChoices(oscarChoicesDeps, session.shop, ["widgets", "agents"]) : null;
  return {
    choices,
    currencyCode: shop?.currencyCode ?? null,
    connection: connection && {
      keyLast4: connection.keyLast4,
      workspaceName: connection.workspaceName,
      widgetId: connection.widgetId,
      webhookRegisteredAt: formatShopTime(connection.webhookRegisteredAt, timeZone),
      connectedAt: formatShopTime(connection.connectedAt, timeZone),
    },
    rules: settings.rules,
    slack: settings.slack,
    orderStatus: settings.orderStatus,
    orderCommands: {
      settings: orderCommands,
      access: { granted, problem: granted ? null : "Shopify did not say which access Oscar Chat has right now; reload the page to see which order actions need your permission." },
    },
  };
};

const CommandsSchema = z.array(z.enum(ORDER_COMMAND_KINDS));
const OptionalScopesSchema = z.array(z.enum(ORDER_COMMAND_OPTIONAL_SCOPES as [string, ...string[]])).min(1);

const SlackKindSchema = z.enum(SLACK_ALERT_KINDS);

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session, admin, scopes } = await authenticate.admin(request);
  const shop = session.shop;
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");

  switch (intent) {
    case "save": {
      const parsed = parseSettingsForm(form, { allowLoopbackSlack });
      if (!parsed.success) return formFailed(intent, parsed.errors, "Some settings need fixing: see the messages in red.");
      const unlisted = await unlistedSettingsIds({ db: prisma, ...oscarChoicesDeps }, shop, parsed.data);
      if (Object.keys(unlisted).length) return formFailed(intent, unlisted, "Some settings need fixing: see the messages in red.", 422);
      try {
        await saveSettings({ ...settingsDeps, graphql: admin.graphql }, shop, parsed.data);
      } catch (error) {
        if (!(error instanceof StorefrontSyncError)) throw error;
        return formFailed(intent, { widgetId: error.message }, error.message, 502);
      }
      return formSucceeded(intent, "Settings saved");
    }
    case "rotate": {
      const apiKey = parseField(API_KEY_FIELD, "rotateApiKey", form.get("apiKey"));
      if (!apiKey.success) return formFailed(intent, apiKey.errors, "Check the new API key.");
      try {
        await rotateOscarKey(oscarConnectionDeps, shop, apiKey.data);
      } catch (error) {
        const sentence = describeOscarFailure(error);
        if (!sentence) throw error;
        return formFailed(intent, { rotateApiKey: sentence }, sentence, 422);
      }
      return formSucceeded(intent, "Key replaced: Oscar now signs events with a new secret");
    }
    case "disconnect": {
      const { webhookRemoved } = await disconnectOscar(oscarConnectionDeps, shop);
      let chatHidden = true;
      try {
        await publishStorefrontChat(admin.graphql, { enabled: false });
      } catch (error) {
        if (!(error instanceof StorefrontSyncError)) throw error;
        chatHidden = false;
      }
      const notes = [
        webhookRemoved ? null : "Oscar did not confirm removing its webhook, but it can no longer reach your store.",
        chatHidden ? null : "Shopify did not confirm hiding the chat; turn the app embed off in your theme if it still shows.",
      ].filter(Boolean);
      return formSucceeded(intent, ["Oscar disconnected and the key erased.", ...notes].join(" "));
    }
    case "test-slack": {
      const kind = SlackKindSchema.safeParse(form.get("kind"));
      if (!kind.success) return formFailed(intent, {}, "That kind of alert is not known.");
      const typed = String(form.get("url") ?? "").trim();
      const url = typed ? slackWebhookUrl(allowLoopbackSlack).safeParse(typed) : null;
      if (url && !url.success) return formFailed(intent, { [`slack.${kind.data}`]: url.error.issues[0].message }, url.error.issues[0].message);
      const label = SLACK_ALERTS.find((a) => a.kind === kind.data)?.label ?? "Alerts";
      const result = await sendSlackTest({ ...settingsDeps, sendSlack }, shop, kind.data, url?.data ?? null, label);
      return result.ok ? formSucceeded(intent, result.sentence, { kind: kind.data }) : formFailed(intent, {}, result.sentence, 422);
    }
    case "save-order-commands": {
      const parsed = parseOrderCommandSettingsForm(form);
      if (!parsed.success) return formFailed(intent, parsed.errors, "Some order action settings need fixing: see the messages in red.");
      const unlisted = await unlistedOrderCommandAgents({ db: prisma, ...oscarChoicesDeps }, shop, parsed.data.allowedAgentIds);
      if (Object.keys(unlisted).length) return formFailed(intent, unlisted, "Some order action settings need fixing: see the messages in red.", 422);
      const granted = await grantedScopes(scopes);
      if (!granted) return formFailed(intent, {}, "Shopify did not say which access Oscar Chat has; nothing was saved. Try again.", 502);
      const saved = await saveOrderCommands(prisma, shop, parsed.data, granted);
      const message = saved.waitingForAccess.length ? "Order actions saved. The ones that need your permission stay off until you allow access." : "Order actions saved";
      return formSucceeded(intent, message, { waitingForAccess: saved.waitingForAccess, scopesToRequest: saved.scopesToRequest });
    }
    case "turn-on-granted-commands": {
      const commands = CommandsSchema.safeParse(form.getAll("commands").map(String));
      if (!commands.success) return formFailed(intent, {}, "Those order actions are not known.");
      const granted = await grantedScopes(scopes);
      if (!granted) return formFailed(intent, {}, "Shopify did not say which access Oscar Chat has; try again.", 502);
      const saved = await turnOnGrantedCommands(prisma, shop, commands.data, granted);
      if (saved.waitingForAccess.length) return formFailed(intent, {}, "Shopify has not granted the access yet, so those actions are still off.", 409);
      return formSucceeded(intent, "Access granted: the order actions are on");
    }
    case "request-order-command-access": {
      const wanted = OptionalScopesSchema.safeParse(form.getAll("scopes").map(String));
      if (!wanted.success) return formFailed(intent, {}, "Oscar Chat only asks for the access its order actions need.");
      // Redirects to Shopify's grant screen unless everything is already granted.
      await scopes.request(wanted.data);
      return formSucceeded(intent, "Access is already granted: save the order actions again to turn them on.");
    }
    default:
      return formFailed(intent, {}, "That action is not known.");
  }
};

export default function Settings() {
  const data = useLoaderData<typeof loader>();
  const saveFetcher = useFetcher<SettingsAction>({ key: "settings-save" });
  useResultToast(saveFetcher.data);
  const errors = saveFetcher.data?.ok === false ? saveFetcher.data.errors : {};
  return (
    <Page title="Settings">
      <SettingsForm data={data} saveFetcher={saveFetcher} errors={errors} />
    </Page>
  );
}
