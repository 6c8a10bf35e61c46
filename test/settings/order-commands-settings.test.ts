import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadOrderCommandSettings } from "../../app/models/order-commands.server";
import { startOscarSimulator, type OscarSimulator } from "../../sim/oscar/server";
import { DEFAULT_GRANTED_SCOPES } from "../../sim/shopify-admin/server";
import { startSlackReceiver, type SlackReceiver } from "../../sim/slack/receiver";
import { BROWSER_UA, installShop, startAppStack, TEST_API_KEY, TEST_SHOP, type AppStack } from "../harness/app-stack";
import { sendShopifyWebhook, shopifyDelivery, shopifyPayloads } from "../harness/shopify-webhooks";
import { connectShopToOscar } from "../harness/support-scenario";
import { loadRoute, postForm, SETTINGS, sessionToken } from "./admin-requests";

/**
 * Order actions in Settings, through the real route with real session tokens, against the fake Admin
 * API that knows which scopes the app declared optional and which the merchant granted.
 */

const SHOP_A = TEST_SHOP;
const SHOP_B = "oscar-order-actions-neighbour.myshopify.com";
const KEY_B = "osk_order_actions_b_4004";

type SettingsData = { orderCommands: { settings: { enabledCommands: string[]; allowedAgentIds: string[]; maxRefundAmount: string | null }; access: { granted: string[] | null } } };

const orderActions = (fields: Record<string, string | string[]> = {}) => ({
  intent: "save-order-commands",
  "orderCommands.enabled": ["cancel", "refund"],
  "orderCommands.agents": "agent_1",
  "orderCommands.maxRefund": "50",
  "orderCommands.maxDiscountPercent": "",
  "orderCommands.notifyCustomer": "true",
  ...fields,
});

describe("order actions in Settings, with Shopify's optional scopes", () => {
  let stack: AppStack;
  let oscar: OscarSimulator;
  let slack: SlackReceiver;

  beforeAll(async () => {
    oscar = await startOscarSimulator({ apiKeys: [KEY_B] });
    slack = await startSlackReceiver();
    stack = await startAppStack({ label: "order-commands-settings", shops: [SHOP_A, SHOP_B], extraEnv: { OSCAR_API_BASE: oscar.baseUrl } });
    await installShop(stack, SHOP_A);
    await installShop(stack, SHOP_B);
    // Shop B is connected to Oscar, which lists its agents; shop A is not, so its agent ids are typed.
    await connectShopToOscar(stack, oscar, slack, SHOP_B, KEY_B);
  });

  afterAll(async () => {
    await stack?.close();
    await oscar?.close();
    await slack?.close();
  });

  const saved = (shop: string) => loadOrderCommandSettings(stack.db, shop);

  it("starts with every action off, and Shopify granting none of their scopes at install", async () => {
    const { status, body } = await loadRoute<SettingsData>(stack, SHOP_A, SETTINGS.path, SETTINGS.id);
    expect(status).toBe(200);
    expect(body.orderCommands.settings).toMatchObject({ enabledCommands: [], allowedAgentIds: [], maxRefundAmount: null });
    expect(body.orderCommands.access.granted?.sort()).toEqual([...DEFAULT_GRANTED_SCOPES].sort());
  });

  it("refuses a form with problems, saving nothing", async () => {
    const { status, body } = await postForm(stack, SHOP_A, SETTINGS.path, SETTINGS.id, orderActions({ "orderCommands.maxRefund": "" }));
    expect(status).toBe(400);
    expect(body.errors).toEqual({ "orderCommands.maxRefund": "Enter the largest refund an agent may give, such as 50." });
    expect(await stack.db.orderCommandSettings.count({ where: { shop: SHOP_A } })).toBe(0);
  });

  it("keeps a command off until Shopify grants its scope, and names the scope to request", async () => {
    const { status, body } = await postForm(stack, SHOP_A, SETTINGS.path, SETTINGS.id, orderActions());
    expect(status).toBe(200);
    expect(body).toMatchObject({ ok: true, waitingForAccess: ["cancel", "refund"], scopesToRequest: ["write_orders"] });
    expect(body.message).toContain("stay off until you allow access");
    // The agents and the limit are kept; the commands are not on.
    expect(await saved(SHOP_A)).toEqual({ enabledCommands: [], allowedAgentIds: ["agent_1"], maxRefundAmount: "50.00", maxDiscountPercent: null, notifyCustomer: true });

    // A page claiming the merchant allowed access does not turn anything on while Shopify says otherwise.
    const early = await postForm(stack, SHOP_A, SETTINGS.path, SETTINGS.id, { intent: "turn-on-granted-commands", commands: ["cancel", "refund"] });
    expect(early.status).toBe(409);
    expect((await saved(SHOP_A)).enabledCommands).toEqual([]);
  });

  it("turns the waiting commands on once the merchant granted the scope in Shopify's dialog", async () => {
    stack.fakeAdmin.grantOptionalScopes(SHOP_A, ["write_orders"]);
    const { status, body } = await postForm(stack, SHOP_A, SETTINGS.path, SETTINGS.id, { intent: "turn-on-granted-commands", commands: ["cancel", "refund"] });
    expect(status).toBe(200);
    expect(body.message).toBe("Access granted: the order actions are on");
    expect((await saved(SHOP_A)).enabledCommands).toEqual(["cancel", "refund"]);
    const page = await loadRoute<SettingsData>(stack, SHOP_A, SETTINGS.path, SETTINGS.id);
    expect(page.body.orderCommands.access.granted).toContain("write_orders");
    // The neighbour shop granted nothing and has nothing on.
    expect((await loadRoute<SettingsData>(stack, SHOP_B, SETTINGS.path, SETTINGS.id)).body.orderCommands.access.granted).not.toContain("write_orders");
    expect((await saved(SHOP_B)).enabledCommands).toEqual([]);
  });

  it("asks Shopify's grant screen for a declared optional scope only, through the library's redirect", async () => {
    const response = await fetch(`${stack.appUrl}${SETTINGS.path}?_data=${encodeURIComponent(SETTINGS.id)}`, {
      method: "POST",
      headers: { Authorization: `Bearer ${await sessionToken(SHOP_A)}`, "User-Agent": BROWSER_UA, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ intent: "request-order-command-access", scopes: "write_discounts" }),
    });
    await response.arrayBuffer();
    // Embedded: App Bridge follows the re-authorize header to Shopify's install screen with the optional scope.
    expect(response.status).toBe(401);
    const url = new URL(response.headers.get("x-shopify-api-request-failure-reauthorize-url") ?? "");
    expect(`${url.origin}${url.pathname}`).toBe(`https://${SHOP_A}/admin/oauth/install`);
    expect(url.searchParams.get("client_id")).toBe(TEST_API_KEY);
    expect(url.searchParams.get("optional_scopes")).toBe("write_discounts");

    const undeclared = await postForm(stack, SHOP_A, SETTINGS.path, SETTINGS.id, { intent: "request-order-command-access", scopes: "write_products" });
    expect(undeclared.status).toBe(400);
    expect(undeclared.body.message).toBe("Oscar Chat only asks for the access its order actions need.");
  });

  it("turns the commands off when the merchant takes the scope back (app/scopes_update), the same on a repeat", async () => {
    const now = stack.fakeAdmin.revokeOptionalScopes(SHOP_A, ["write_orders"]);
    expect(now).not.toContain("write_orders");
    const delivery = shopifyDelivery("app/scopes_update", SHOP_A, shopifyPayloads.scopesUpdate([...now], [...now, "write_orders"]));
    for (let i = 0; i < 2; i++) expect((await sendShopifyWebhook(stack.appUrl, delivery)).status).toBe(200);
    expect(await saved(SHOP_A)).toMatchObject({ enabledCommands: [], allowedAgentIds: ["agent_1"], maxRefundAmount: "50.00" });
    // Saving again asks for the access again rather than turning anything on.
    const again = await postForm(stack, SHOP_A, SETTINGS.path, SETTINGS.id, orderActions({ "orderCommands.enabled": ["refund"] }));
    expect(again.body).toMatchObject({ ok: true, waitingForAccess: ["refund"], scopesToRequest: ["write_orders"] });
    expect((await saved(SHOP_A)).enabledCommands).toEqual([]);
  });

  it("accepts only agents Oscar lists for a connected account, as a stale page or a forged form may name others", async () => {
    const [agent] = oscar.accountFor(KEY_B).agentIds;
    const forged = await postForm(stack, SHOP_B, SETTINGS.path, SETTINGS.id, orderActions({ "orderCommands.agents": `${agent}\nagent_someone_else` }));
    expect(forged.status).toBe(422);
    expect(forged.body.errors).toEqual({ "orderCommands.agents": "Oscar doesn't list an agent “agent_someone_else” for your account; choose one of your agents from the list." });
    expect(await stack.db.orderCommandSettings.count({ where: { shop: SHOP_B } })).toBe(0);
    const listed = await postForm(stack, SHOP_B, SETTINGS.path, SETTINGS.id, orderActions({ "orderCommands.agents": agent }));
    expect(listed.status).toBe(200);
    expect((await saved(SHOP_B)).allowedAgentIds).toEqual([agent]);
  });

  it("refuses to take back a required scope, as Shopify does", () => {
    expect(() => stack.fakeAdmin.revokeOptionalScopes(SHOP_A, ["read_orders"])).toThrow("read_orders is required and cannot be revoked");
    expect(() => stack.fakeAdmin.grantOptionalScopes(SHOP_A, ["write_products"])).toThrow("write_products is not declared in the app's optional_scopes");
  });
});
