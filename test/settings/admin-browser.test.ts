import { resolve } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchBrowser, newDesktopPage, recordConsoleErrors, screenshot } from "../harness/browser";
import { freePort } from "../harness/ports";
import { startTsxScript, type RunningProcess } from "../harness/processes";
import { deleteKeysWithPrefix, SHARED_REDIS_URL, testRedisPrefix } from "../harness/redis";

/** The sandbox in a real browser: from an empty shop to a connected one, then a rule saved through the save bar. */
describe("onboarding and settings in a real browser (sandbox)", () => {
  let sandbox: RunningProcess;
  let browser: Browser;
  let page: Page;
  let errors: Array<{ text: string; url: string }>;
  let appUrl: string;
  let oscarUrl: string;
  const prefix = testRedisPrefix("admin-browser");

  beforeAll(async () => {
    const port = await freePort();
    const oscarPort = await freePort();
    appUrl = `http://127.0.0.1:${port}`;
    oscarUrl = `http://127.0.0.1:${oscarPort}`;
    sandbox = startTsxScript("scripts/sandbox.ts", ["--no-build", "--fresh-shop"], {
      PORT: String(port),
      SANDBOX_ADMIN_API_PORT: String(await freePort()),
      SANDBOX_OSCAR_PORT: String(oscarPort),
      SANDBOX_DATABASE_FILE: resolve(inject("runDir"), "admin-browser.sqlite"),
      REDIS_URL: SHARED_REDIS_URL,
      REDIS_PREFIX: prefix,
    });
    // A safety net: the sandbox starts several processes, which took over 90 s at load average 25.
    await sandbox.waitForOutput(/Sandbox ready/, 170_000);
    browser = await launchBrowser();
    page = await newDesktopPage(browser);
    // Fail on the step that did not happen, well before the test's own timeout.
    page.setDefaultTimeout(10_000);
    errors = recordConsoleErrors(page);
  });

  afterAll(async () => {
    await browser?.close();
    await sandbox?.stop();
    await deleteKeysWithPrefix(prefix);
  });

  // Chromium logs every 4xx answer as a console error. The app answers a refused form (a wrong key, an
  // invalid amount) with 400/422 and the sentence the test then finds on screen; anything else counts.
  const refusedForm = (e: { text: string; url: string }) => /status of (400|422) /.test(e.text) && e.url.includes("_data=");
  const fromApp = () => errors.filter((e) => (e.url.startsWith(appUrl) || e.url === "pageerror") && !refusedForm(e));

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
    // The guide moves on to the widget; the done step still tells what it did.
    await page.getByLabel("Widget id").waitFor();
    await page.getByRole("button", { name: "Connect your Oscar account" }).click();
    await page.getByText("Connected to the Oscar workspace Support workspace 1 with the key ending in _key.").waitFor();
    await page.getByRole("button", { name: "Choose the chat widget" }).click();

    // Saving the widget writes the storefront metafield.
    await page.getByLabel("Widget id").fill("wdg_sandbox_1");
    await page.getByRole("button", { name: "Show this widget" }).click();
    await page.getByText("3 of 5 steps done").waitFor();

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

  it("saves an escalation rule through the save bar, with an inline error first", async () => {
    await page.getByRole("link", { name: "Settings" }).click();
    await page.getByText("Escalation rules").first().waitFor();
    const saveBar = page.locator("ui-save-bar[data-open]");
    expect(await saveBar.count()).toBe(0);

    const keywords = page.getByLabel("Urgent keywords");
    await keywords.fill(`${await keywords.inputValue()}\nchargeback`);
    const spent = page.getByLabel("Total spent above");
    await spent.fill("lots");
    await saveBar.waitFor();
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
});
