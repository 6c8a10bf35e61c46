import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadEscalationRules } from "../../app/models/escalation-rules.server";
import { loadOrderStatusSettings } from "../../app/models/order-status-settings.server";
import { slackUrlFor } from "../../app/models/slack-settings.server";
import { decryptSecret, parseKeyring, SECRET_FIELDS } from "../../app/security/encryption.server";
import { startOscarSimulator, type OscarSimulator } from "../../sim/oscar/server";
import { startSlackReceiver, type SlackReceiver } from "../../sim/slack/receiver";
import { installShop, startAppStack, TEST_API_KEY, TEST_ENCRYPTION_KEYS, TEST_SHOP, type AppStack } from "../harness/app-stack";
import { databaseBytes } from "../harness/stored-data";
import { HOME, HOME_DATA, loadDocument, loadRoute, postForm, SETTINGS } from "./admin-requests";
import { setAppEmbed } from "../../sim/shopify-admin/themes";

const SHOP_A = TEST_SHOP;
const SHOP_B = "oscar-other-shop.myshopify.com";
const KEY_A = "osk_live_merchant_a_4f9c2e7d1b";
const KEY_B = "osk_live_merchant_b_8a3d6f0e2c";
const keyring = parseKeyring(TEST_ENCRYPTION_KEYS);

type HomeData = {
  steps: Record<string, boolean>;
  connection: { keyLast4: string; workspaceName: string | null; widgetId: string | null } | null;
  embed: { active: boolean; problem: string | null } | null;
  themeEditorUrl: string;
};
type SettingsData = {
  connection: { keyLast4: string; widgetId: string | null } | null;
  rules: Record<string, unknown>;
  slack: Record<string, boolean>;
  orderStatus: { enabled: boolean; sharedFields: string[] };
};

/** A complete, valid settings form as the page submits it. */
function validSettings(overrides: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  return {
    intent: "save",
    urgentKeywords: "refund\nchargeback, lawyer",
    urgentAgentId: "agent_1",
    urgentLabel: "urgent",
    vipTotalSpent: "2500",
    vipCustomerTags: "VIP, Wholesale gold",
    vipAgentId: "agent_2",
    vipLabel: "vip",
    botEscalationAgents: "agent_2\nagent_3",
    "slack.urgent.change": "keep",
    "slack.vip.change": "keep",
    "slack.botEscalation.change": "keep",
    "slack.report.change": "keep",
    "orderStatus.enabled": "true",
    "orderStatus.sharedFields": ["status", "tracking"],
    ...overrides,
  };
}

describe("admin onboarding and settings: loaders and actions with real session tokens", () => {
  let oscar: OscarSimulator;
  let slack: SlackReceiver;
  let stack: AppStack;

  beforeAll(async () => {
    oscar = await startOscarSimulator({ apiKeys: [KEY_A, KEY_B] });
    slack = await startSlackReceiver();
    stack = await startAppStack({ label: "settings-routes", shops: [SHOP_A, SHOP_B], extraEnv: { OSCAR_API_BASE: oscar.baseUrl } });
    await installShop(stack, SHOP_A);
    await installShop(stack, SHOP_B);
  });

  afterAll(async () => {
    await stack?.close();
    await oscar?.close();
    await slack?.close();
  });

  const connectionOf = (shop: string) => stack.db.oscarConnection.findUnique({ where: { shop } });
  const metafield = (shop: string, key: string) =>
    stack.fakeAdmin.store(shop).metafields.find((m) => m.namespace === "oscar_chat" && m.key === key && m.ownerId === stack.fakeAdmin.store(shop).appInstallation.id);

  it("starts an empty shop with every step to do and the theme editor deep link", async () => {
    const { status, body } = await loadRoute<HomeData>(stack, SHOP_A, HOME_DATA.path, HOME_DATA.id);
    expect(status).toBe(200);
    expect(body.steps).toEqual({ connect: false, widget: false, theme: false, webhooks: false, firstConversation: false });
    expect(body.connection).toBeNull();
    expect(body.themeEditorUrl).toBe(`https://${SHOP_A}/admin/themes/current/editor?context=apps&activateAppId=${TEST_API_KEY}/oscar-chat-embed`);
  });

  it("refuses a key Oscar rejects with a plain sentence, and stores nothing", async () => {
    const webhooksBefore = oscar.inspect.webhooks().length;
    const { status, body } = await postForm(stack, SHOP_A, HOME.path, HOME.id, { intent: "connect", apiKey: "osk_live_revoked_0000" });
    expect(status).toBe(422);
    expect(body.ok).toBe(false);
    expect(body.errors.apiKey).toContain("Oscar rejected the API key");
    expect(await connectionOf(SHOP_A)).toBeNull();
    expect(oscar.inspect.webhooks()).toHaveLength(webhooksBefore);

    const empty = await postForm(stack, SHOP_A, HOME.path, HOME.id, { intent: "connect", apiKey: "  " });
    expect(empty.status).toBe(400);
    expect(empty.body.errors).toEqual({ apiKey: "Paste your Oscar API key." });
    expect(await connectionOf(SHOP_A)).toBeNull();
  });

  it("connects with a good key: lists the workspaces and registers this shop's webhook with its own URL", async () => {
    const account = oscar.accountFor(KEY_A);
    const { status, body } = await postForm(stack, SHOP_A, HOME.path, HOME.id, { intent: "connect", apiKey: KEY_A });
    expect(status).toBe(200);
    expect(body).toMatchObject({ ok: true, message: "Connected to Support workspace 1", workspaces: [{ id: account.workspaceId, name: "Support workspace 1" }] });

    const connection = await connectionOf(SHOP_A);
    expect(connection).toMatchObject({ workspaceId: account.workspaceId, apiKeyLast4: KEY_A.slice(-4), botId: null });
    expect(oscar.inspect.webhooks()).toEqual([
      {
        id: connection!.webhookId,
        url: `${stack.appUrl}/webhooks/oscar/${connection!.ingestKey}`,
        events: ["conversation.created", "conversation.assigned", "message.created", "conversation.resolved", "bot.escalated"],
      },
    ]);

    const home = await loadRoute<HomeData>(stack, SHOP_A, HOME_DATA.path, HOME_DATA.id);
    expect(home.body.steps).toMatchObject({ connect: true, webhooks: true, widget: false, firstConversation: false });
    expect(home.body.connection).toMatchObject({ keyLast4: KEY_A.slice(-4), workspaceName: "Support workspace 1" });
  });

  it("offers the account's widgets and bots on the widget step, read on the server without the key reaching the page", async () => {
    const account = oscar.accountFor(KEY_A);
    const home = await loadRoute<HomeData & { choices: { widgets: { listed: boolean; choices: Array<{ id: string; label: string; botId: string | null }> }; bots: { listed: boolean; choices: Array<{ id: string }> } } }>(
      stack,
      SHOP_A,
      HOME_DATA.path,
      HOME_DATA.id,
    );
    expect(home.body.choices.widgets).toEqual({
      listed: true,
      choices: [
        { id: account.widgetIds[0], label: `Storefront chat (${account.widgetIds[0]})`, botId: account.botIds[0] },
        { id: account.widgetIds[1], label: `Returns desk (${account.widgetIds[1]})`, botId: account.botIds[1] },
      ],
    });
    expect(home.body.choices.bots.choices.map((b) => b.id)).toEqual(account.botIds);
    expect(home.text).not.toContain(KEY_A);
  });

  it("puts the chosen widget in the app-data metafields the theme reads, starts the chosen bot's knowledge sync, and refuses ids Oscar does not list", async () => {
    const account = oscar.accountFor(KEY_A);
    const other = oscar.accountFor(KEY_B);
    const bad = await postForm(stack, SHOP_A, HOME.path, HOME.id, { intent: "choose-widget", widgetId: "my widget!" });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.widgetId).toBe("A widget id is made of letters, digits, “-” and “_” (at most 64 characters).");
    const badBot = await postForm(stack, SHOP_A, HOME.path, HOME.id, { intent: "choose-widget", widgetId: account.widgetIds[0], botId: "my bot!" });
    expect(badBot.status).toBe(400);
    expect(badBot.body.errors).toEqual({ botId: "A bot id has only letters, digits, - and _ (copy it from Oscar's bot settings)." });

    // Well-formed, but another account's widget and bot: Oscar lists neither for this key.
    const unlisted = await postForm(stack, SHOP_A, HOME.path, HOME.id, { intent: "choose-widget", widgetId: other.widgetIds[0], botId: other.botId });
    expect(unlisted.status).toBe(422);
    expect(unlisted.body.errors).toEqual({
      widgetId: `Oscar doesn't list a widget “${other.widgetIds[0]}” for your account; choose one of your widgets from the list.`,
      botId: `Oscar doesn't list a bot “${other.botId}” for your account; choose one of your bots from the list.`,
    });
    expect(metafield(SHOP_A, "widget_id")).toBeUndefined();
    expect((await connectionOf(SHOP_A))?.botId).toBeNull();

    const { body } = await postForm(stack, SHOP_A, HOME.path, HOME.id, { intent: "choose-widget", widgetId: account.widgetIds[0], botId: account.botId });
    expect(body).toMatchObject({ ok: true, message: "Widget saved: your store will show it, and your bot is learning the store" });
    expect(metafield(SHOP_A, "widget_id")).toMatchObject({ type: "single_line_text_field", value: account.widgetIds[0] });
    expect(metafield(SHOP_A, "enabled")).toMatchObject({ type: "boolean", value: "true" });
    expect(await connectionOf(SHOP_A)).toMatchObject({ widgetId: account.widgetIds[0], botId: account.botId });
    // The bot's first full sync is queued for a worker.
    expect(await stack.db.knowledgeSyncState.findUnique({ where: { shop: SHOP_A } })).toMatchObject({ status: "queued", fullRequestedAt: expect.any(Date) });
    const knowledge = await loadRoute<{ botId: string; sync: { status: string } }>(stack, SHOP_A, "/app/knowledge", "routes/app.knowledge");
    expect(knowledge.body).toMatchObject({ botId: account.botId, sync: { status: "queued" } });
    // The other shop's installation got nothing.
    expect(metafield(SHOP_B, "widget_id")).toBeUndefined();
  });

  it("takes a typed widget id when Oscar does not list widgets, and says why on the page", async () => {
    oscar.setListEndpoints("absent");
    try {
      await stack.db.oscarConnection.update({ where: { shop: SHOP_A }, data: { widgetId: null } });
      const home = await loadRoute<HomeData & { choices: { widgets: { listed: boolean; why: string } } }>(stack, SHOP_A, HOME_DATA.path, HOME_DATA.id);
      expect(home.body.choices.widgets).toEqual({
        listed: false,
        why: "Oscar didn't list your widgets (HTTP 404: it has no such list); paste the widget id from Oscar's dashboard.",
      });
      const { body } = await postForm(stack, SHOP_A, HOME.path, HOME.id, { intent: "choose-widget", widgetId: "wdg_typed_A1" });
      expect(body.ok).toBe(true);
      expect(metafield(SHOP_A, "widget_id")).toMatchObject({ value: "wdg_typed_A1" });
    } finally {
      oscar.setListEndpoints("present");
    }
    const account = oscar.accountFor(KEY_A);
    expect((await postForm(stack, SHOP_A, HOME.path, HOME.id, { intent: "choose-widget", widgetId: account.widgetIds[0] })).body.ok).toBe(true);
  });

  it("checks the live theme for the app embed and keeps the answer across reloads", async () => {
    // A fresh store: the live theme "Dawn" has the app embed switched off.
    const off = await postForm(stack, SHOP_A, HOME.path, HOME.id, { intent: "check-embed" });
    expect(off.body).toMatchObject({ ok: true, active: false, message: "Oscar Chat is not on in Dawn yet" });
    expect(stack.fakeAdmin.requests.some((r) => r.operationName === "MainThemeSettings" && r.shop === SHOP_A)).toBe(true);
    expect((await loadRoute<HomeData>(stack, SHOP_A, HOME_DATA.path, HOME_DATA.id)).body.steps.theme).toBe(false);

    // The merchant follows the deep link and saves the theme editor with the embed on.
    setAppEmbed(stack.fakeAdmin.store(SHOP_A).themes[0], "oscar-chat", "oscar-chat-embed", true);
    const on = await postForm(stack, SHOP_A, HOME.path, HOME.id, { intent: "check-embed" });
    expect(on.body).toMatchObject({ ok: true, active: true, message: "Oscar Chat is on in Dawn" });

    const home = await loadRoute<HomeData>(stack, SHOP_A, HOME_DATA.path, HOME_DATA.id);
    expect(home.body.steps.theme).toBe(true);
    expect(home.body.embed).toMatchObject({ active: true, problem: null });
  });

  it("shows the settings with the key masked and the defaults for rules never saved", async () => {
    const { status, body, text } = await loadRoute<SettingsData>(stack, SHOP_A, SETTINGS.path, SETTINGS.id);
    expect(status).toBe(200);
    expect(body.connection).toMatchObject({ keyLast4: KEY_A.slice(-4), widgetId: oscar.accountFor(KEY_A).widgetIds[0] });
    expect(body.rules).toMatchObject({ urgentLabel: "urgent", vipTotalSpent: 1000 });
    expect(body.slack).toEqual({ urgent: false, vip: false, botEscalation: false, report: false });
    expect(text).not.toContain(KEY_A);
  });

  it("saves valid settings: rules, an encrypted Slack URL and order-status self-service", async () => {
    const slackUrl = slack.webhookUrl("urgent");
    const { status, body } = await postForm(stack, SHOP_A, SETTINGS.path, SETTINGS.id, validSettings({ "slack.urgent.change": "set", "slack.urgent.url": slackUrl }));
    expect(status).toBe(200);
    expect(body).toMatchObject({ ok: true, message: "Settings saved" });

    expect(await loadEscalationRules(stack.db, SHOP_A)).toEqual({
      urgentKeywords: ["refund", "chargeback", "lawyer"],
      urgentAgentId: "agent_1",
      urgentLabel: "urgent",
      vipTotalSpent: 2500,
      vipCustomerTags: ["VIP", "Wholesale gold"],
      vipAgentId: "agent_2",
      vipLabel: "vip",
      botEscalationAgents: ["agent_2", "agent_3"],
    });
    expect(await slackUrlFor(stack.db, keyring, SHOP_A, "urgent")).toBe(slackUrl);
    expect(await loadOrderStatusSettings(stack.db, SHOP_A)).toEqual({ enabled: true, sharedFields: ["status", "tracking"] });

    const settings = await loadRoute<SettingsData>(stack, SHOP_A, SETTINGS.path, SETTINGS.id);
    expect(settings.body.slack.urgent).toBe(true);
    expect(settings.text).not.toContain(slackUrl);
  });

  it("answers every invalid field with its own sentence and saves nothing", async () => {
    const { status, body } = await postForm(
      stack,
      SHOP_A,
      SETTINGS.path,
      SETTINGS.id,
      validSettings({
        widgetId: "",
        urgentKeywords: "refund\n!!!",
        urgentAgentId: "agent one",
        urgentLabel: " ",
        vipCustomerTags: "x".repeat(256),
        vipTotalSpent: "lots",
        vipAgentId: "agent/2",
        vipLabel: "v".repeat(51),
        botEscalationAgents: "agent_2\nagent_2",
        "slack.vip.change": "set",
        "slack.vip.url": "https://example.com/hook",
        "orderStatus.enabled": "true",
        "orderStatus.sharedFields": [],
      }),
    );
    expect(status).toBe(400);
    expect(body.ok).toBe(false);
    expect(body.errors).toEqual({
      widgetId: "Enter the widget id from Oscar.",
      urgentKeywords: "“!!!” has no letters or digits, so no message could match it.",
      urgentAgentId: "Enter the urgent agent's id as Oscar shows it (letters, digits, “-” or “_”), or leave it empty.",
      urgentLabel: "Enter a label, such as urgent.",
      vipCustomerTags: "Each customer tag can be at most 255 characters, as in Shopify.",
      vipTotalSpent: "Enter the amount as a number, such as 1000 or 499.99.",
      vipAgentId: "Enter the VIP agent's id as Oscar shows it (letters, digits, “-” or “_”), or leave it empty.",
      vipLabel: "A label can be at most 50 characters.",
      botEscalationAgents: "The pool lists “agent_2” twice; list each agent once.",
      "slack.vip": "Enter a Slack incoming-webhook URL: it starts with https://hooks.slack.com/services/.",
      "orderStatus.sharedFields": "Choose at least one kind of order information the chat may share, or turn self-service off.",
    });

    const negative = await postForm(stack, SHOP_A, SETTINGS.path, SETTINGS.id, validSettings({ vipTotalSpent: "-5" }));
    expect(negative.body.errors).toEqual({ vipTotalSpent: "The amount can't be negative." });

    // Nothing of either attempt was saved.
    expect((await loadEscalationRules(stack.db, SHOP_A)).vipTotalSpent).toBe(2500);
    expect(await slackUrlFor(stack.db, keyring, SHOP_A, "vip")).toBeNull();
  });

  it("sends a Slack test message and reports what Slack answered", async () => {
    const ok = await postForm(stack, SHOP_A, SETTINGS.path, SETTINGS.id, { intent: "test-slack", kind: "urgent" });
    expect(ok.body).toMatchObject({ ok: true, message: "Slack answered 200: the test message was delivered." });
    expect(slack.to("urgent").at(-1)?.body.text).toBe("Test from Oscar Chat: Urgent conversations will be posted in this channel.");

    slack.answerWith(404, "no_service");
    const revoked = await postForm(stack, SHOP_A, SETTINGS.path, SETTINGS.id, { intent: "test-slack", kind: "urgent" });
    slack.answerWith(null);
    expect(revoked.status).toBe(422);
    expect(revoked.body.message).toBe("Slack answered 404. The URL may have been revoked in Slack; create a new one.");

    const none = await postForm(stack, SHOP_A, SETTINGS.path, SETTINGS.id, { intent: "test-slack", kind: "report" });
    expect(none.body.message).toBe("There is no Slack URL for these alerts yet. Enter one first.");
  });

  it("never lets another shop's session read or change this shop's settings", async () => {
    const before = await connectionOf(SHOP_A);
    const rulesBefore = await loadEscalationRules(stack.db, SHOP_A);

    const read = await loadRoute<SettingsData>(stack, SHOP_B, SETTINGS.path, SETTINGS.id);
    expect(read.body.connection).toBeNull();
    expect(read.body.rules).toMatchObject({ urgentLabel: "urgent", vipTotalSpent: 1000 });
    expect(read.body.slack.urgent).toBe(false);
    const home = await loadRoute<HomeData>(stack, SHOP_B, HOME_DATA.path, HOME_DATA.id);
    expect(home.body.connection).toBeNull();

    // Naming shop A in the form changes nothing: the session decides the shop.
    const save = await postForm(stack, SHOP_B, SETTINGS.path, SETTINGS.id, validSettings({ shop: SHOP_A, vipTotalSpent: "1", "slack.urgent.change": "remove" }));
    expect(save.body.ok).toBe(true);
    const rotate = await postForm(stack, SHOP_B, SETTINGS.path, SETTINGS.id, { intent: "rotate", apiKey: KEY_B, shop: SHOP_A });
    expect(rotate.body.errors.rotateApiKey).toBe("Oscar is not connected. Connect it from the home page first.");
    const disconnect = await postForm(stack, SHOP_B, SETTINGS.path, SETTINGS.id, { intent: "disconnect", shop: SHOP_A });
    expect(disconnect.body.ok).toBe(true);

    expect(await connectionOf(SHOP_A)).toEqual(before);
    expect(await loadEscalationRules(stack.db, SHOP_A)).toEqual(rulesBefore);
    expect(await slackUrlFor(stack.db, keyring, SHOP_A, "urgent")).toBe(slack.webhookUrl("urgent"));
    expect((await loadEscalationRules(stack.db, SHOP_B)).vipTotalSpent).toBe(1);
    expect(oscar.inspect.webhooks().map((w) => w.id)).toEqual([before!.webhookId]);
  });

  it("refuses a replacement key from another Oscar account and keeps the connection as it was", async () => {
    const before = await connectionOf(SHOP_A);
    const { status, body } = await postForm(stack, SHOP_A, SETTINGS.path, SETTINGS.id, { intent: "rotate", apiKey: KEY_B });
    expect(status).toBe(422);
    expect(body.errors.rotateApiKey).toBe(
      "This key belongs to a different Oscar account: it cannot see the workspace your store uses. To switch accounts, disconnect first.",
    );
    const rejected = await postForm(stack, SHOP_A, SETTINGS.path, SETTINGS.id, { intent: "rotate", apiKey: "osk_live_typo" });
    expect(rejected.body.errors.rotateApiKey).toContain("Oscar rejected the API key");
    expect(await connectionOf(SHOP_A)).toEqual(before);
    expect(oscar.inspect.webhooks().map((w) => w.id)).toEqual([before!.webhookId]);
  });

  it("offers the account's agents and refuses, with a clear sentence, agents and widgets Oscar does not list for this key", async () => {
    const mine = oscar.accountFor(KEY_A);
    const theirs = oscar.accountFor(KEY_B);
    const page = await loadRoute<{ choices: { agents: { listed: boolean; choices: Array<{ id: string; label: string }> } } }>(stack, SHOP_A, SETTINGS.path, SETTINGS.id);
    expect(page.body.choices.agents).toEqual({
      listed: true,
      choices: mine.agentIds.map((id, i) => ({ id, label: `${["Ada", "Grace", "Linus"][i]} (${id})`, botId: null })),
    });

    const { status, body } = await postForm(
      stack,
      SHOP_A,
      SETTINGS.path,
      SETTINGS.id,
      validSettings({ widgetId: theirs.widgetIds[1], urgentAgentId: theirs.agentIds[0], vipAgentId: mine.agentIds[1], botEscalationAgents: `${mine.agentIds[2]}\n${theirs.agentIds[2]}` }),
    );
    expect(status).toBe(422);
    expect(body.errors).toEqual({
      widgetId: `Oscar doesn't list a widget “${theirs.widgetIds[1]}” for your account; choose one of your widgets from the list.`,
      urgentAgentId: `Oscar doesn't list an agent “${theirs.agentIds[0]}” for your account; choose one of your agents from the list.`,
      botEscalationAgents: `Oscar doesn't list an agent “${theirs.agentIds[2]}” for your account; choose one of your agents from the list.`,
    });
    expect((await loadEscalationRules(stack.db, SHOP_A)).urgentAgentId).toBe("agent_1");
    expect((await connectionOf(SHOP_A))?.widgetId).toBe(mine.widgetIds[0]);
  });

  it("rotates: re-verifies the key, registers a webhook with a new secret and URL, and removes the old one", async () => {
    const before = (await connectionOf(SHOP_A))!;
    const { body } = await postForm(stack, SHOP_A, SETTINGS.path, SETTINGS.id, { intent: "rotate", apiKey: KEY_A });
    expect(body).toMatchObject({ ok: true, message: "Key replaced: Oscar now signs events with a new secret" });

    const after = (await connectionOf(SHOP_A))!;
    expect(after.ingestKey).not.toBe(before.ingestKey);
    const secretOfA = { shop: SHOP_A, field: SECRET_FIELDS.oscarWebhookSecret };
    expect(decryptSecret(keyring, after.webhookSecretCiphertext!, secretOfA)).not.toBe(decryptSecret(keyring, before.webhookSecretCiphertext!, secretOfA));
    expect(after).toMatchObject({ workspaceId: before.workspaceId, widgetId: oscar.accountFor(KEY_A).widgetIds[0] });
    expect(oscar.inspect.webhooks()).toEqual([expect.objectContaining({ id: after.webhookId, url: `${stack.appUrl}/webhooks/oscar/${after.ingestKey}` })]);

    // The old address no longer takes deliveries.
    const old = await fetch(`${stack.appUrl}/webhooks/oscar/${before.ingestKey}`, { method: "POST", body: "{}" });
    expect(old.status).toBe(404);
  });

  it("keeps the key unreadable in the database file and out of every page and loader", async () => {
    const connection = (await connectionOf(SHOP_A))!;
    const webhookSecret = decryptSecret(keyring, connection.webhookSecretCiphertext!, { shop: SHOP_A, field: SECRET_FIELDS.oscarWebhookSecret });
    const bytes = databaseBytes(stack);
    expect(bytes.length).toBeGreaterThan(0);
    for (const secret of [KEY_A, webhookSecret, slack.webhookUrl("urgent")]) {
      expect(bytes.includes(Buffer.from(secret)), "a secret is stored in plain text").toBe(false);
    }
    // The ciphertext is there: the check above looked at the right file.
    expect(bytes.includes(Buffer.from(connection.apiKeyCiphertext))).toBe(true);

    const pages = await Promise.all(
      ["/app", "/app/settings", "/app/failed-jobs"].map(async (path) => {
        const { status, html } = await loadDocument(stack, SHOP_A, path);
        expect(status, path).toBe(200);
        return html;
      }),
    );
    const loaders = await Promise.all([
      loadRoute(stack, SHOP_A, HOME_DATA.path, HOME_DATA.id),
      loadRoute(stack, SHOP_A, SETTINGS.path, SETTINGS.id),
      loadRoute(stack, SHOP_A, "/app", "routes/app"),
    ]);
    for (const text of [...pages, ...loaders.map((l) => l.text)]) {
      for (const secret of [KEY_A, webhookSecret, connection.ingestKey, slack.webhookUrl("urgent")]) expect(text).not.toContain(secret);
    }
  });

  it("once every step is done, shows each part at a glance instead of the checklist", async () => {
    // What the worker (first event) and a theme with the embed on would record; the fake Admin API has no themes.
    const at = new Date();
    await stack.db.oscarConnection.update({ where: { shop: SHOP_A }, data: { firstEventAt: at, lastEventAt: at } });
    await stack.db.themeEmbedCheck.update({ where: { shop: SHOP_A }, data: { active: true, themeName: "Dawn", problem: null, checkedAt: at } });
    await stack.db.conversationRecord.create({ data: { shop: SHOP_A, conversationId: "conv_glance_1", enrichedAt: at, urgentAt: at } });

    const { body } = await loadRoute<HomeData>(stack, SHOP_A, HOME_DATA.path, HOME_DATA.id);
    expect(Object.values(body.steps).every(Boolean)).toBe(true);
    const { status, html } = await loadDocument(stack, SHOP_A, "/app");
    expect(status).toBe(200);
    expect(html).not.toContain("Set up Oscar Chat");
    for (const text of ["Chat on your storefront", "On in your live theme “Dawn”", "Events from Oscar", "Receiving", "Background work", "Order history added", "Open in Oscar", oscar.accountFor(KEY_A).widgetIds[0]]) {
      expect(html, text).toContain(text);
    }
  });

  it("disconnects: removes the webhook at Oscar, erases the key and hides the chat on the storefront", async () => {
    const { body } = await postForm(stack, SHOP_A, SETTINGS.path, SETTINGS.id, { intent: "disconnect" });
    expect(body).toMatchObject({ ok: true, message: "Oscar disconnected and the key erased." });
    expect(await connectionOf(SHOP_A)).toBeNull();
    expect(oscar.inspect.webhooks()).toEqual([]);
    expect(metafield(SHOP_A, "enabled")).toMatchObject({ value: "false" });

    const home = await loadRoute<HomeData>(stack, SHOP_A, HOME_DATA.path, HOME_DATA.id);
    expect(home.body.steps).toMatchObject({ connect: false, widget: false, webhooks: false });
    // Rules and Slack alerts outlive the connection.
    expect((await loadEscalationRules(stack.db, SHOP_A)).vipTotalSpent).toBe(2500);
  });
});
