import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { inject } from "vitest";
import { launchBrowser, newDesktopPage, recordConsoleErrors, screenshot } from "./harness/browser";
import { freePort } from "./harness/ports";
import { startTsxScript, type RunningProcess } from "./harness/processes";
import { deleteKeysWithPrefix, SHARED_REDIS_URL, testRedisPrefix } from "./harness/redis";

describe("npm run sandbox", () => {
  let sandbox: RunningProcess;
  let browser: Browser;
  let appUrl: string;
  const prefix = testRedisPrefix("sandbox");

  beforeAll(async () => {
    const port = await freePort();
    appUrl = `http://127.0.0.1:${port}`;
    sandbox = startTsxScript("scripts/sandbox.ts", ["--no-build"], {
      PORT: String(port),
      SANDBOX_ADMIN_API_PORT: String(await freePort()),
      SANDBOX_DATABASE_FILE: resolve(inject("runDir"), "sandbox.sqlite"),
      REDIS_URL: SHARED_REDIS_URL,
      REDIS_PREFIX: prefix,
    });
    // A safety net: the sandbox builds and starts four processes, which took over 90 s at load average 25.
    await sandbox.waitForOutput(/Sandbox ready/, 170_000);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await sandbox?.stop();
    await deleteKeysWithPrefix(prefix);
  });

  it("prints the URL that signs in as the sandbox shop", () => {
    expect(sandbox.output()).toContain(`Admin home (signed in as oscar-sandbox.myshopify.com): ${appUrl}/sandbox`);
  });

  it("plays the scripted day with every step succeeding and prints its timeline", () => {
    const output = sandbox.output();
    expect(output).toContain("installed and connected to Oscar");
    expect(output).toMatch(/Timeline done: (\d+) of \1 steps succeeded/);
    expect(output).not.toContain("✗");
    for (const step of ["asks where the order is", "(VIP) writes", "urgent refund message", "hands the refund chat to a human", "resolves", "places an order after her chat", "The analytics page counts today"]) {
      expect(output).toContain(step);
    }
  });

  it("opens the printed storefront page with the chat widget in a real browser", async () => {
    const storefrontUrl = /Storefront with the chat widget: (\S+)/.exec(sandbox.output())?.[1];
    expect(storefrontUrl).toBeTruthy();
    const page = await newDesktopPage(browser);
    await page.goto(storefrontUrl!);
    await page.locator("script[src*='oscar-chat'], [class*='oscar']").first().waitFor({ state: "attached" });
    await screenshot(page, resolve("screenshots/sandbox-storefront.png"));
  });

  it("opens the admin home in a real browser with the store's details and no console errors from the app", async () => {
    const page = await newDesktopPage(browser);
    const errors = recordConsoleErrors(page);
    await page.goto(`${appUrl}/sandbox`);
    await page.getByText("Oscar Chat", { exact: true }).first().waitFor();

    // The worker reads the store's details in the background; the page checks again by itself.
    await page.getByText("Store details synced").waitFor({ timeout: 20_000 });
    expect(await page.getByText(/^Currency: [A-Z]{3}$/).count()).toBe(1);

    await screenshot(page, resolve("screenshots/sandbox-home.png"));
    const fromApp = errors.filter((e) => e.url.startsWith(appUrl) || e.url === "pageerror");
    expect(fromApp).toEqual([]);
  });

  it("shows weeks of support on the analytics page, with today's assisted revenue in the timeline (screenshots/sandbox-analytics.png)", async () => {
    const output = sandbox.output();
    expect(output).toMatch(/63 days of past support for the analytics page: \d+ conversations, \d+ orders/);
    // The scripted day's order followed a chat, so today's assisted revenue includes its USD 184.00.
    const todays = /assisted revenue today: (\S+)/.exec(output)?.[1];
    expect(todays).toMatch(/^\$\d[\d,]*\.\d\d$/);
    expect(Number(todays!.replace(/[$,]/g, ""))).toBeGreaterThanOrEqual(184);

    const page = await newDesktopPage(browser);
    page.setDefaultTimeout(20_000);
    await page.setViewportSize({ width: 1280, height: 1400 });
    await page.emulateMedia({ reducedMotion: "reduce" });
    const errors = recordConsoleErrors(page);
    await page.goto(`${appUrl}/sandbox?page=analytics`);
    await page.getByText("Assisted revenue by day").waitFor();
    await page.waitForFunction(() => document.querySelectorAll("table").length === 0 && document.querySelectorAll("svg path").length > 5);
    // Oscar's figures (from the simulator's history) and the app's own, both with data.
    for (const label of ["Conversations", "CSAT", "Assisted revenue", "Escalations", "Conversations enriched"]) {
      await page.getByText(label, { exact: true }).first().waitFor();
    }
    const text = await page.locator("body").innerText();
    expect(text).not.toContain("No support activity");
    expect(text).toMatch(/\$[1-9][\d,]*\.\d\d/);
    await screenshot(page, resolve("screenshots/sandbox-analytics.png"));
    expect(errors.filter((e) => e.url.startsWith(appUrl) || e.url === "pageerror")).toEqual([]);
  }, 60_000);

  it("refuses to start in production", async () => {
    const refused = startTsxScript("scripts/sandbox.ts", [], { NODE_ENV: "production" });
    const { code } = await refused.exited();
    expect(code).toBe(1);
    expect(refused.output()).toContain("The sandbox refuses to start with NODE_ENV=production");
  });
});
