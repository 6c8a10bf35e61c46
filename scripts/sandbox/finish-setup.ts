import type { PrismaClient } from "@prisma/client";
import { mintSessionToken } from "../../app/sandbox/session-token.server";
import { ONBOARDING_STEPS } from "../../app/services/onboarding-steps";
import { APP_EMBED_HANDLE } from "../../app/services/theme-embed.server";
import type { OscarSimulator } from "../../sim/oscar/server";
import type { StoreFixture } from "../../sim/shopify-admin/fixtures";
import { setAppEmbed } from "../../sim/shopify-admin/themes";
import { BROWSER_UA } from "./connect";

const HOME_ROUTE = "routes/app._index";
const SETTINGS_ROUTE = "routes/app.settings";
/** The sandbox's refund limit, in the store's currency (the scripted day refunds less). */
export const SANDBOX_MAX_REFUND = "50.00";

export type FinishSetupDeps = {
  appUrl: string;
  apiKey: string;
  apiSecret: string;
  shop: string;
  db: PrismaClient;
  oscar: OscarSimulator;
  oscarApiKey: string;
  store: StoreFixture;
};

type FormAnswer = { ok: boolean; message: string; errors?: Record<string, string>; active?: boolean };
type HomeData = {
  steps: Record<string, boolean>;
  choices: { widgets: { listed: boolean; choices?: Array<{ id: string; botId: string | null }> } } | null;
};

type SettingsAnswer = FormAnswer & { scopesToRequest?: string[]; waitingForAccess?: string[] };
type SettingsData = { choices: { agents: { listed: boolean; choices?: Array<{ id: string }> } } | null };

/** The settings page as the embedded admin talks to it. */
function settingsPage(deps: FinishSetupDeps) {
  const headers = () => ({ Authorization: `Bearer ${mintSessionToken({ apiKey: deps.apiKey, apiSecret: deps.apiSecret, shop: deps.shop })}`, "User-Agent": BROWSER_UA });
  return {
    async load(): Promise<SettingsData> {
      const response = await fetch(`${deps.appUrl}/app/settings?_data=${encodeURIComponent(SETTINGS_ROUTE)}`, { headers: headers() });
      if (!response.ok) throw new Error(`the settings page answered ${response.status}`);
      return (await response.json()) as SettingsData;
    },
    async post(fields: Array<[string, string]>): Promise<SettingsAnswer> {
      const response = await fetch(`${deps.appUrl}/app/settings?_data=${encodeURIComponent(SETTINGS_ROUTE)}`, {
        method: "POST",
        headers: { ...headers(), "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(fields),
      });
      const answer = (await response.json()) as SettingsAnswer;
      if (!answer.ok) throw new Error(`the settings page refused “${fields[0][1]}”: ${answer.message}`);
      return answer;
    },
  };
}

/**
 * Refunds from the inbox, turned on as a merchant would in Settings: refunds for the account's first
 * agent up to SANDBOX_MAX_REFUND, saved off until the merchant allows write_orders in the permission
 * dialog (what the sandbox App Bridge stand-in's "Allow" posts), then turned on.
 */
async function turnOnRefunds(deps: FinishSetupDeps): Promise<{ agentId: string; granted: string[] }> {
  const settings = settingsPage(deps);
  const agentId = (await settings.load()).choices?.agents.choices?.[0]?.id;
  if (!agentId) throw new Error("the settings page did not offer the sandbox account's agents");
  const saved = await settings.post([
    ["intent", "save-order-commands"],
    ["orderCommands.enabled", "refund"],
    ["orderCommands.agents", agentId],
    ["orderCommands.maxRefund", SANDBOX_MAX_REFUND],
    ["orderCommands.maxDiscountPercent", ""],
    ["orderCommands.notifyCustomer", "true"],
  ]);
  const scopes = saved.scopesToRequest ?? [];
  if (scopes.length) {
    const allowed = await fetch(`${deps.appUrl}/sandbox/grant-scopes`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ scopes }) });
    if (!allowed.ok) throw new Error(`granting ${scopes.join(", ")} failed: ${allowed.status} ${await allowed.text()}`);
    await allowed.arrayBuffer().catch(() => undefined);
    await settings.post([["intent", "turn-on-granted-commands"], ["commands", "refund"]]);
  }
  return { agentId, granted: scopes };
}

/** The home page as the embedded admin talks to it: a fresh session token for each request. */
function homePage(deps: FinishSetupDeps) {
  const headers = () => ({ Authorization: `Bearer ${mintSessionToken({ apiKey: deps.apiKey, apiSecret: deps.apiSecret, shop: deps.shop })}`, "User-Agent": BROWSER_UA });
  return {
    async load(): Promise<HomeData> {
      const response = await fetch(`${deps.appUrl}/app?_data=${encodeURIComponent(HOME_ROUTE)}`, { headers: headers() });
      if (!response.ok) throw new Error(`the home page answered ${response.status}`);
      return (await response.json()) as HomeData;
    },
    async post(fields: Record<string, string>): Promise<FormAnswer> {
      const response = await fetch(`${deps.appUrl}/app?index&_data=${encodeURIComponent(HOME_ROUTE)}`, {
        method: "POST",
        headers: { ...headers(), "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(fields),
      });
      const answer = (await response.json()) as FormAnswer;
      if (!answer.ok) throw new Error(`the home page refused “${fields.intent}”: ${answer.message}`);
      return answer;
    },
  };
}

async function until<T>(what: string, probe: () => Promise<T>, timeoutMs = 60_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Takes the connected sandbox shop through the rest of onboarding as a merchant would, through the
 * app's own pages: picks the account's first widget (and the bot that answers in it) from the list
 * the home page offers, turns the app embed on in the store's live theme as the theme editor would,
 * lets the home page check it, waits for the bot's first knowledge sync to finish, and turns on
 * refunds from the inbox (Settings, then Shopify's permission for write_orders).
 */
export async function finishSetup(deps: FinishSetupDeps) {
  const home = homePage(deps);
  const { choices } = await home.load();
  const widget = choices?.widgets.listed ? choices.widgets.choices?.[0] : undefined;
  if (!widget) throw new Error("the home page did not offer the sandbox account's widgets");
  await home.post({ intent: "choose-widget", widgetId: widget.id, botId: widget.botId ?? "" });

  const theme = deps.store.themes.find((t) => t.role === "MAIN");
  if (!theme) throw new Error("the sandbox store has no live theme");
  setAppEmbed(theme, "oscar-chat", APP_EMBED_HANDLE, true);
  const embed = await home.post({ intent: "check-embed" });
  if (!embed.active) throw new Error(`the home page did not see the app embed on: ${embed.message}`);

  const sync = await until("the bot's first knowledge sync", async () => {
    const state = await deps.db.knowledgeSyncState.findUnique({ where: { shop: deps.shop } });
    return state?.status === "idle" && state.lastOutcome ? state : null;
  });
  if (sync.lastOutcome !== "succeeded") throw new Error(`the knowledge sync failed: ${sync.lastError ?? "no reason given"}`);
  const refunds = await turnOnRefunds(deps);
  return { widgetId: widget.id, botId: widget.botId, themeName: theme.name, sourcesSent: sync.lastCreated, refunds };
}

/** How many of the home page's setup steps are done, as the page itself counts them. */
export async function setupProgress(deps: FinishSetupDeps): Promise<{ done: number; total: number; missing: string[] }> {
  const { steps } = await homePage(deps).load();
  const missing = ONBOARDING_STEPS.filter((step) => !steps[step]);
  return { done: ONBOARDING_STEPS.length - missing.length, total: ONBOARDING_STEPS.length, missing };
}
