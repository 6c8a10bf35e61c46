import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { Layout, Page } from "@shopify/polaris";
import prisma from "../../db.server";
import { formFailed, formSucceeded } from "../../http/form-result.server";
import { logger } from "../../logger.instance.server";
import { findShop } from "../../models/shop.server";
import { loadHomeState } from "../../services/onboarding.server";
import { loadProtectedDataNotice } from "../../services/protected-data-notice.server";
import { protectedDataNoticeText } from "../../services/protected-data-notice-text";
import { ONBOARDING_STEPS } from "../../services/onboarding-steps";
import { chooseOscarWorkspace, connectOscar, describeOscarFailure, listOscarWorkspaces } from "../../services/oscar-connection.server";
import { loadOscarChoices, unlistedIdProblem, type OscarChoices } from "../../services/oscar-choices.server";
import { failedJobs, oscarChoicesDeps, oscarConnectionDeps, shopifyApiKey } from "../../services/settings-context.server";
import { chooseWidget } from "../../services/settings.server";
import { API_KEY_FIELD, parseField, WIDGET_ID_FIELD } from "../../services/settings-validation.server";
import { BOT_ID_FIELD, chooseKnowledgeBot } from "../../services/knowledge-admin.server";
import { knowledgeDeps } from "../../services/knowledge-context.server";
import { StorefrontSyncError } from "../../services/storefront-metafields.server";
import { checkThemeEmbed, themeEditorUrl } from "../../services/theme-embed.server";
import { authenticate } from "../../shopify.server";
import { pageTitle } from "../../components/page-title";
import { ProtectedDataBanner } from "./protected-data-banner";
import { SetupGuide } from "./setup-guide";
import { StatusOverview } from "./status-overview";
import { StoreCard } from "./store-card";
import { connectionView, embedView, queueView, recentView, storeView } from "./view.server";

export const meta = pageTitle("Home");

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const [shop, home, withheld] = await Promise.all([
    findShop(prisma, session.shop),
    loadHomeState({ db: prisma, failedJobs }, session.shop),
    loadProtectedDataNotice(prisma, session.shop),
  ]);
  const timeZone = shop?.ianaTimezone ?? null;

  // Only while a key that sees several workspaces waits for the merchant's choice does the page ask Oscar.
  let workspaces: Array<{ id: string; name: string }> | null = null;
  let workspacesProblem: string | null = null;
  if (home.connection && !home.connection.workspaceId) {
    try {
      workspaces = (await listOscarWorkspaces(oscarConnectionDeps, session.shop)).map((w) => ({ id: String(w.id), name: w.name }));
    } catch (error) {
      workspacesProblem = describeOscarFailure(error);
      if (!workspacesProblem) throw error;
    }
  }

  // The widget step offers the account's widgets and bots; Oscar is asked only while that step waits.
  let choices: OscarChoices<"widgets" | "bots"> | null = null;
  if (home.steps.connect && !home.steps.widget) choices = await loadOscarChoices(oscarChoicesDeps, session.shop, ["widgets", "bots"]);

  return {
    shopDomain: session.shop,
    choices,
    store: storeView(shop),
    steps: home.steps,
    connection: connectionView(home.connection, timeZone, new Date()),
    workspaces,
    workspacesProblem,
    embed: embedView(home.embed, timeZone),
    themeEditorUrl: themeEditorUrl(session.shop, shopifyApiKey),
    queue: queueView(home.queue),
    recent: recentView(home.recent, timeZone),
    protectedDataNotice: withheld ? protectedDataNoticeText(withheld) : null,
  };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session, admin } = await authenticate.admin(request);
  const shop = session.shop;
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");

  const oscarFailed = (error: unknown, field: string) => {
    const sentence = describeOscarFailure(error);
    if (!sentence) throw error;
    return formFailed(intent, { [field]: sentence }, sentence, 422);
  };

  switch (intent) {
    case "connect": {
      const apiKey = parseField(API_KEY_FIELD, "apiKey", form.get("apiKey"));
      if (!apiKey.success) return formFailed(intent, apiKey.errors, "Check the API key.");
      try {
        const { connection, workspaces } = await connectOscar(oscarConnectionDeps, shop, apiKey.data);
        return formSucceeded(intent, connection.workspaceName ? `Connected to ${connection.workspaceName}` : "Oscar connected: choose a workspace", {
          workspaces: workspaces.map((w) => ({ id: String(w.id), name: w.name })),
        });
      } catch (error) {
        return oscarFailed(error, "apiKey");
      }
    }
    case "choose-workspace": {
      const workspaceId = String(form.get("workspaceId") ?? "").trim();
      if (!workspaceId) return formFailed(intent, { workspaceId: "Choose a workspace." }, "Choose a workspace.");
      try {
        const workspace = await chooseOscarWorkspace(oscarConnectionDeps, shop, workspaceId);
        return formSucceeded(intent, `Using the workspace ${workspace.name}`);
      } catch (error) {
        return oscarFailed(error, "workspaceId");
      }
    }
    case "choose-widget": {
      const widgetId = parseField(WIDGET_ID_FIELD, "widgetId", form.get("widgetId"));
      const botId = parseField(BOT_ID_FIELD, "botId", form.get("botId") ?? "");
      if (!widgetId.success || !botId.success) {
        return formFailed(intent, { ...(widgetId.success ? {} : widgetId.errors), ...(botId.success ? {} : botId.errors) }, "Check the highlighted fields.");
      }
      try {
        // The browser's choice is checked against Oscar's own lists again: the page may be stale, or the form forged.
        const listed = await loadOscarChoices(oscarChoicesDeps, shop, ["widgets", "bots"]);
        const unlisted = {
          widgetId: unlistedIdProblem("widgets", listed.widgets, widgetId.data),
          botId: botId.data ? unlistedIdProblem("bots", listed.bots, botId.data) : null,
        };
        const errors = Object.fromEntries(Object.entries(unlisted).filter(([, problem]) => problem)) as Record<string, string>;
        if (Object.keys(errors).length) return formFailed(intent, errors, Object.values(errors)[0], 422);

        await chooseWidget({ db: prisma, graphql: admin.graphql }, shop, widgetId.data);
        // Naming the bot here starts its first knowledge sync.
        if (botId.data) await chooseKnowledgeBot(knowledgeDeps, shop, botId.data);
        return formSucceeded(intent, botId.data ? "Widget saved: your store will show it, and your bot is learning the store" : "Widget saved: your store will show it");
      } catch (error) {
        if (error instanceof StorefrontSyncError) return formFailed(intent, { widgetId: error.message }, error.message, 502);
        return oscarFailed(error, "widgetId");
      }
    }
    case "check-embed": {
      const result = await checkThemeEmbed({ db: prisma, graphql: admin.graphql, logger }, shop);
      const message = result.active ? `Oscar Chat is on in ${result.themeName}` : (result.problem ?? `Oscar Chat is not on in ${result.themeName} yet`);
      return formSucceeded(intent, message, { active: result.active, problem: result.problem !== null });
    }
    default:
      return formFailed(intent, {}, "That action is not known.", 400);
  }
};

export default function Home() {
  const data = useLoaderData<typeof loader>();
  const revalidator = useRevalidator();
  const allDone = ONBOARDING_STEPS.every((step) => data.steps[step]);
  // Things that happen elsewhere (the worker reading the store, Oscar's first event) show up by themselves.
  const waiting = !data.store || (data.steps.webhooks && !data.steps.firstConversation);
  useEffect(() => {
    if (!waiting) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle" && document.visibilityState === "visible") revalidator.revalidate();
    }, data.store ? 5_000 : 2_000);
    return () => clearInterval(timer);
  }, [waiting, data.store, revalidator]);

  return (
    <Page title="Oscar Chat">
      <Layout>
        {data.protectedDataNotice ? (
          <Layout.Section>
            <ProtectedDataBanner text={data.protectedDataNotice} />
          </Layout.Section>
        ) : null}
        <Layout.Section>{allDone ? <StatusOverview data={data} /> : <SetupGuide data={data} />}</Layout.Section>
        <Layout.Section variant="oneThird">
          <StoreCard shopDomain={data.shopDomain} store={data.store} />
        </Layout.Section>
      </Layout>
    </Page>
  );
}
