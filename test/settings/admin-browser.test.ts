import { resolve } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeViolations, findAccessibilityViolations } from "../harness/axe";
import { launchBrowser, newDesktopPage, recordConsoleErrors, screenshot } from "../harness/browser";
import type { RunningProcess } from "../harness/processes";
import { startSandbox, type SandboxRun } from "../harness/sandbox";

/**
 * The sandbox in a real browser: from an empty shop to a connected one, picking the widget and bot
 * from the account's lists, then rules (agents picked from the list) saved through the save bar, and
 * typed ids when Oscar stops answering the list calls.
 */
describe("onboarding and settings in a real browser (sandbox)", () => {
  let run: SandboxRun;
  let sandbox: RunningProcess;
  let browser: Browser;
  let page: Page;
  let errors: Array<{ text: string; url: string }>;
  let appUrl: string;
  let oscarUrl: string;

  beforeAll(async () => {
    run = await startSandbox("admin-browser", ["--fresh-shop"], 170_000);
    ({ process: sandbox, appUrl, oscarUrl } = run);
    browser = await launchBrowser();
    page = await newDesktopPage(browser);
    // Fail on the step that did not happen, well before the test's own timeout.
    page.setDefaultTimeout(10_000);
    errors = recordConsoleErrors(page);
  });

  afterAll(async () => {
    await browser?.close();
    await run?.stop();
  });

  // Chromium logs every 4xx answer as a console error. The app answers a refused form (a wrong key, an
  // invalid amount) with 400/422 and the sentence the test then finds on screen; anything else counts.
  const refusedForm = (e: { text: string; url: string }) => /status of (400|422) /.test(e.text) && e.url.includes("_data=");
  const fromApp = () => errors.filter((e) => (e.url.startsWith(appUrl) || e.url === "pageerror") && !refusedForm(e));
  const setListEndpoints = async (listEndpoints: "present" | "absent") => {
    const answer = await fetch(`${oscarUrl}/_sim/list-endpoints`, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ listEndpoints }) });
    expect(answer.status).toBe(200);
  };
  const expectAccessible = async () => {
    const violations = await findAccessibilityViolations(page);
    expect(violations, describeViolations(violations)).toEqual([]);
  };

  it("prints the Oscar key to paste", () => {
    expect(sandbox.output()).toContain("Oscar API key to paste on the home page: oscar_sim_key");
  });

  it("takes an empty shop through onboarding to connected", async () => {
    await page.goto(`${appUrl}/sandbox`);
    await page.getByText("Set up Oscar Chat").waitFor();
    await page.getByText("0 of 5 steps done").waitFor();
    await screenshot(page, resolve("screenshots/onboarding-start.png"));

    // A wrong key: Oscar refuses it and the page says so under the field.
    const keyField = page.getByLabel("Oscar API key");
    await keyField.fill("osk_wrong_key");
    await page.getByRole("button", { name: "Connect", exact: true }).click();
    await page.getByText("Oscar rejected the API key", { exact: false }).first().waitFor();

    await keyField.fill("oscar_sim_key");
    await page.getByRole("button", { name: "Connect", exact: true }).click();
    await page.getByText("2 of 5 steps done").waitFor();
    await page.getByRole("button", { name: "Connect your Oscar account" }).click();
    await page.getByText("Connected to the Oscar workspace Support workspace 1 with the key ending in _key.").waitFor();
    await page.getByRole("button", { name: "Choose the chat widget" }).click();

    // An Oscar without the list calls: the step asks for typed ids and says why.
    await setListEndpoints("absent");
    try {
      await page.reload();
      await page.getByText("Oscar didn't list your widgets (HTTP 404: it has no such list); paste the widget id from Oscar's dashboard.").waitFor();
      await page.getByText("Oscar didn't list your bots (HTTP 404: it has no such list); paste the bot id from its settings in Oscar.").waitFor();
      await page.getByLabel("Widget id").waitFor();
      await page.getByLabel("Bot id (optional)").waitFor();
      await expectAccessible();
      await screenshot(page, resolve("screenshots/onboarding-typed-ids.png"));
    } finally {
      await setListEndpoints("present");
    }
    await page.reload();

    // Oscar lists the account's widgets and bots: the step offers them, the first widget and its bot chosen.
    const widget = page.getByLabel("Chat widget");
    const bot = page.getByLabel("Bot that learns your store");
    expect(await widget.locator("option").allTextContents()).toEqual(["Storefront chat (wgt_1)", "Returns desk (wgt_2)"]);
    expect(await bot.locator("option").allTextContents()).toEqual(["Choose later on the Knowledge page", "Store assistant (bot_1)", "Returns helper (bot_2)"]);
    expect(await bot.inputValue()).toBe("bot_1");
    await expectAccessible();
    // Choosing a widget proposes the bot that answers in it; the merchant may still pick another.
    await widget.selectOption("wgt_2");
    expect(await bot.inputValue()).toBe("bot_2");
    await bot.selectOption("bot_1");
    await screenshot(page, resolve("screenshots/onboarding-pickers.png"));
    await page.getByRole("button", { name: "Show this widget" }).click();
    await page.getByText("3 of 5 steps done").waitFor();
    await page.getByRole("status").filter({ hasText: "Widget saved: your store will show it, and your bot is learning the store" }).waitFor();
    await page.getByRole("button", { name: "Choose the chat widget" }).click();
    await page.getByText("Your store shows the widget wgt_2.").waitFor();
    await page.getByRole("button", { name: "Turn on the chat in your theme" }).click();

    // The theme step checks the live theme by itself: the sandbox store's "Dawn" has the embed off.
    const editor = page.getByRole("link", { name: "Open theme editor" });
    expect(await editor.getAttribute("href")).toBe("https://oscar-sandbox.myshopify.com/admin/themes/current/editor?context=apps&activateAppId=sandbox-api-key/oscar-chat-embed");
    await page.getByText(/^Not on in your live theme “Dawn”/).waitFor();

    // A shopper starts a chat: Oscar's event arrives and the last step completes by itself.
    const started = await fetch(`${oscarUrl}/_sim/conversations`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "shopper@example.com", name: "Maya", message: "Where is my order?" }),
    });
    expect(started.status).toBe(201);
    await page.getByText("4 of 5 steps done").waitFor({ timeout: 20_000 });
    await page.getByRole("button", { name: "Get your first conversation" }).click();
    await page.getByText("First conversation received").waitFor();
    await page.getByRole("button", { name: "Turn on the chat in your theme" }).click();
    await screenshot(page, resolve("screenshots/onboarding-connected.png"));

    // The checklist is stored state: opening the app again shows the same progress.
    await page.goto(`${appUrl}/sandbox`);
    await page.getByText("4 of 5 steps done").waitFor();
    expect(fromApp()).toEqual([]);
  }, 90_000);

  it("saves escalation rules through the save bar, agents picked from the account's list, with an inline error first", async () => {
    await page.getByRole("link", { name: "Settings" }).click();
    await page.getByText("Escalation rules").first().waitFor();
    const saveBar = page.locator("ui-save-bar[data-open]");
    expect(await saveBar.count()).toBe(0);
    expect(await page.getByLabel("Chat widget").inputValue()).toBe("wgt_2");

    const keywords = page.getByLabel("Urgent keywords");
    await keywords.fill(`${await keywords.inputValue()}\nchargeback`);
    const urgentAgent = page.getByLabel("Assign to agent").first();
    expect(await urgentAgent.locator("option").allTextContents()).toEqual(["No one: only add the label", "Ada (agent_1)", "Grace (agent_2)", "Linus (agent_3)"]);
    await urgentAgent.selectOption("agent_2");
    // The bot hand-off pool: tick two agents; they take turns in the order Oscar lists them.
    const pool = page.getByRole("group", { name: "Agents who take over from the bot" });
    await pool.getByLabel("Linus (agent_3)").check();
    await pool.getByLabel("Ada (agent_1)").check();
    const spent = page.getByLabel("Total spent above");
    await spent.fill("lots");
    await saveBar.waitFor();
    await expectAccessible();
    await saveBar.getByRole("button", { name: "Save" }).click();
    await page.getByText("Enter the amount as a number, such as 1000 or 499.99.").waitFor();

    await spent.fill("2500");
    await saveBar.getByRole("button", { name: "Save" }).click();
    await page.getByRole("status").filter({ hasText: "Settings saved" }).waitFor();
    await saveBar.waitFor({ state: "detached" }).catch(() => undefined);
    expect(await page.locator("ui-save-bar[data-open]").count()).toBe(0);
    await screenshot(page, resolve("screenshots/settings-saved.png"));

    // Opening the app again reads the settings back from the database.
    await page.goto(`${appUrl}/sandbox`);
    await page.getByRole("link", { name: "Settings" }).click();
    expect(await page.getByLabel("Urgent keywords").inputValue()).toContain("chargeback");
    expect(await page.getByLabel("Total spent above").inputValue()).toBe("2500");
    expect(await page.getByLabel("Assign to agent").first().inputValue()).toBe("agent_2");
    const saved = page.getByRole("group", { name: "Agents who take over from the bot" });
    expect(await saved.getByLabel("Ada (agent_1)").isChecked()).toBe(true);
    expect(await saved.getByLabel("Grace (agent_2)").isChecked()).toBe(false);
    expect(await saved.getByLabel("Linus (agent_3)").isChecked()).toBe(true);
    expect(fromApp()).toEqual([]);
  }, 60_000);

  it("tests and saves a Slack URL, which the page never shows again", async () => {
    const slackUrl = /Slack webhook URL to paste in Settings \(a local receiver\): (\S+)/.exec(sandbox.output())![1];
    await page.getByLabel("Slack webhook URL for urgent conversations").fill(slackUrl);
    await page.getByRole("button", { name: "Send test message" }).first().click();
    await page.getByText("Slack answered 200: the test message was delivered.").first().waitFor();

    const saveBar = page.locator("ui-save-bar[data-open]");
    await saveBar.getByRole("button", { name: "Save" }).click();
    await page.getByRole("status").filter({ hasText: "Settings saved" }).waitFor();
    await saveBar.waitFor({ state: "detached" });
    const field = page.getByLabel("Slack webhook URL for urgent conversations");
    expect(await field.inputValue()).toBe("");
    expect(await field.getAttribute("placeholder")).toBe("A URL is saved (hidden). Paste a new one to replace it.");
    expect(await page.content()).not.toContain(slackUrl);
    expect(fromApp()).toEqual([]);
  }, 60_000);

  it("shows the failed-jobs page with its empty state", async () => {
    await page.getByRole("link", { name: "Failed jobs" }).click();
    await page.getByText("No failed jobs").waitFor();
    await screenshot(page, resolve("screenshots/failed-jobs.png"));
    expect(fromApp()).toEqual([]);
  });

  it("when Oscar does not answer the list calls, settings say why and the merchant types the ids", async () => {
    await setListEndpoints("absent");
    try {
      await page.goto(`${appUrl}/sandbox?page=settings`);
      await page.getByText("Escalation rules").first().waitFor();
      await page.getByText("Oscar didn't list your widgets (HTTP 404: it has no such list); paste the widget id from Oscar's dashboard.").waitFor();
      expect(await page.getByText("Oscar didn't list your agents (HTTP 404: it has no such list); paste agent ids from your team's page in Oscar.").count()).toBeGreaterThan(0);
      await expectAccessible();

      const widgetId = page.getByLabel("Widget id");
      expect(await widgetId.inputValue()).toBe("wgt_2");
      await widgetId.fill("wgt_1");
      const urgentAgent = page.getByLabel("Assign to agent").first();
      expect(await urgentAgent.inputValue()).toBe("agent_2");
      await urgentAgent.fill("agent_3");
      const pool = page.getByLabel("Agents who take over from the bot");
      expect((await pool.inputValue()).split("\n")).toEqual(["agent_1", "agent_3"]);
      await pool.fill("agent_2");
      await screenshot(page, resolve("screenshots/settings-typed-ids.png"));

      const saveBar = page.locator("ui-save-bar[data-open]");
      await saveBar.getByRole("button", { name: "Save" }).click();
      await page.getByRole("status").filter({ hasText: "Settings saved" }).waitFor();
    } finally {
      await setListEndpoints("present");
    }
    // With the lists back, the page shows what was typed, picked in the lists.
    await page.goto(`${appUrl}/sandbox?page=settings`);
    expect(await page.getByLabel("Chat widget").inputValue()).toBe("wgt_1");
    expect(await page.getByLabel("Assign to agent").first().inputValue()).toBe("agent_3");
    expect(await page.getByRole("group", { name: "Agents who take over from the bot" }).getByLabel("Grace (agent_2)").isChecked()).toBe(true);
    expect(fromApp()).toEqual([]);
  }, 60_000);
});
