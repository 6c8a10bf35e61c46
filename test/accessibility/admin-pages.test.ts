import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeViolations, findAccessibilityViolations, type KnownViolation } from "../harness/axe";
import { launchBrowser, newDesktopPage } from "../harness/browser";
import { startSandbox, type SandboxRun } from "../harness/sandbox";

/**
 * Every admin page of the finished sandbox (setup done, weeks of history, a support day played),
 * checked in Chromium by axe-core against WCAG 2 A and AA. Any violation fails with its rule id,
 * element and help text.
 */

/** Violations that come from Polaris's own markup and cannot be fixed from this app: none so far. */
const POLARIS_KNOWN: KnownViolation[] = [];

const PAGES: Array<{ name: string; path: string; title: string; ready: (page: Page) => Promise<unknown> }> = [
  { name: "home", path: "/sandbox", title: "Home · Oscar Chat", ready: (page) => page.getByText("Store details synced").waitFor({ timeout: 20_000 }) },
  {
    name: "analytics",
    path: "/sandbox?page=analytics",
    title: "Analytics · Oscar Chat",
    ready: (page) =>
      page.waitForFunction(() => document.querySelectorAll("figure[aria-label]").length === 2 && document.querySelectorAll("figure[aria-label] svg path").length > 5, undefined, {
        timeout: 20_000,
      }),
  },
  { name: "knowledge", path: "/sandbox?page=knowledge", title: "Knowledge · Oscar Chat", ready: (page) => page.getByText("Last sync", { exact: false }).first().waitFor() },
  { name: "settings", path: "/sandbox?page=settings", title: "Settings · Oscar Chat", ready: (page) => page.getByText("Escalation rules").first().waitFor() },
  { name: "failed jobs", path: "/sandbox?page=failed-jobs", title: "Failed jobs · Oscar Chat", ready: (page) => page.getByText("No failed jobs").waitFor() },
  { name: "order actions", path: "/sandbox?page=order-actions", title: "Order actions · Oscar Chat", ready: (page) => page.locator("h1", { hasText: "Order actions" }).waitFor() },
];

describe("admin pages are accessible (axe-core, WCAG 2 A and AA, in Chromium)", () => {
  let sandbox: SandboxRun;
  let browser: Browser;
  let appUrl: string;

  beforeAll(async () => {
    // The sandbox finishes setup (a full knowledge sync) and plays a support day before it is ready.
    sandbox = await startSandbox("a11y", [], 150_000);
    appUrl = sandbox.appUrl;
    browser = await launchBrowser();
  }, 160_000);

  afterAll(async () => {
    await browser?.close();
    await sandbox?.stop();
  });

  for (const target of PAGES) {
    it(`${target.name}: has the title “${target.title}” and no WCAG A/AA violation`, async () => {
      const page = await newDesktopPage(browser);
      page.setDefaultTimeout(15_000);
      await page.emulateMedia({ reducedMotion: "reduce" });
      await page.goto(`${appUrl}${target.path}`);
      await target.ready(page);
      expect(await page.title()).toBe(target.title);
      const violations = await findAccessibilityViolations(page, POLARIS_KNOWN);
      expect(violations, describeViolations(violations)).toEqual([]);
      await page.context().close();
    }, 60_000);
  }
});
