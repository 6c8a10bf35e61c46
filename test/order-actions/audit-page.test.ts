import { copyFileSync, mkdirSync } from "node:fs";
import { resolve } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeViolations, findAccessibilityViolations } from "../harness/axe";
import { launchBrowser, newDesktopPage, recordConsoleErrors, screenshot } from "../harness/browser";
import { startOscarSimulator, type OscarSimulator } from "../../sim/oscar/server";
import { startSlackReceiver, type SlackReceiver } from "../../sim/slack/receiver";
import { installShop, startAppStack, TEST_SHOP, type AppStack } from "../harness/app-stack";
import { connectShopToOscar } from "../harness/support-scenario";
import { loadRoute } from "../settings/admin-requests";

/**
 * The Order actions page in Chromium, signed in through the sandbox sign-in: the empty state that
 * explains commands, then every command newest first, 25 to a page, and only this shop's.
 */

const OTHER_SHOP = "oscar-audit-neighbour.myshopify.com";
const OSCAR_KEY = "osk_audit_page_key_3003";
const STATUSES = ["done", "refused", "failed", "expired", "previewed", "confirmed"] as const;
const START = Date.parse("2026-12-01T09:00:00Z");
/** What the command engine reports for each status (its wording is the engine's; the page shows it as is). */
const OUTCOMES: Partial<Record<(typeof STATUSES)[number], (i: number) => string>> = {
  done: (i) => `Refunded EUR ${(10 + i).toFixed(2)}`,
  refused: () => "Above your largest refund (EUR 50.00)",
  failed: () => "Shopify refused: the order is already fully refunded",
};

describe("the Order actions page (audit of agents' order commands)", () => {
  let stack: AppStack;
  let oscar: OscarSimulator;
  let slack: SlackReceiver;
  let agents: string[];
  let browser: Browser;
  let page: Page;
  let errors: Array<{ text: string; url: string }>;

  beforeAll(async () => {
    oscar = await startOscarSimulator({ apiKeys: [OSCAR_KEY] });
    slack = await startSlackReceiver();
    stack = await startAppStack({ label: "order-actions-audit", shops: [TEST_SHOP, OTHER_SHOP], extraEnv: { SANDBOX_MODE: "true", SANDBOX_SHOP: TEST_SHOP, OSCAR_API_BASE: oscar.baseUrl } });
    await installShop(stack, TEST_SHOP);
    // Connected, so the page names agents as Oscar lists them (Ada, Grace, Linus).
    await connectShopToOscar(stack, oscar, slack, TEST_SHOP, OSCAR_KEY);
    agents = oscar.accountFor(OSCAR_KEY).agentIds;
    await installShop(stack, OTHER_SHOP);
    await stack.db.shop.update({ where: { domain: TEST_SHOP }, data: { currencyCode: "EUR", ianaTimezone: "Europe/Berlin" } });
    browser = await launchBrowser();
    page = await newDesktopPage(browser);
    page.setDefaultTimeout(15_000);
    errors = recordConsoleErrors(page);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    await oscar?.close();
    await slack?.close();
  });

  const expectAccessible = async () => {
    const violations = await findAccessibilityViolations(page);
    expect(violations, describeViolations(violations)).toEqual([]);
  };
  /** The command cell of each row on screen, top to bottom. */
  const commandsOnScreen = () => page.locator(".Polaris-IndexTable__TableRow td:nth-child(3) span.Polaris-Text--semibold").allTextContents();

  it("explains how agents use commands while there are none, and is reachable from the app's navigation", async () => {
    await page.goto(`${stack.appUrl}/sandbox`);
    await page.getByRole("link", { name: "Order actions" }).click();
    await page.getByText("No order actions yet").waitFor();
    expect(await page.title()).toBe("Order actions · Oscar Chat");
    await page.getByText("/confirm", { exact: false }).first().waitFor();
    expect(await page.getByRole("link", { name: "Turn on order actions" }).getAttribute("href")).toContain("/app/settings");
    await expectAccessible();
  });

  it("lists every command newest first, 25 to a page, with who, what, when, status and result", async () => {
    // 30 commands in this shop, one a minute, and one in the neighbour shop that must not show.
    for (let i = 0; i < 30; i++) {
      const status = STATUSES[i % STATUSES.length];
      await stack.db.orderAction.create({
        data: {
          shop: TEST_SHOP,
          conversationId: `conv_${i}`,
          sourceMessageId: `note_${i}`,
          // The newest by an agent who has since left the Oscar account: shown by id.
          agentId: i === 29 ? "agent_gone" : i % 2 ? agents[0] : agents[1],
          confirmedBy: status === "done" && i % 4 === 0 ? agents[2] : null,
          command: i === 29 ? "address" : "refund",
          orderName: `#${1000 + i}`,
          orderId: `gid://shopify/Order/${5000 + i}`,
          status,
          // A shopper typed the new address: it is shown as text, never as markup.
          outcome: i === 29 ? "Shipping address changed to <img src=x onerror=alert(1)> Hauptstraße 5, Berlin" : OUTCOMES[status]?.(i) ?? null,
          expiresAt: new Date(START + i * 60_000 + 300_000),
          createdAt: new Date(START + i * 60_000),
          completedAt: status === "done" ? new Date(START + i * 60_000 + 30_000) : null,
        },
      });
    }
    await stack.db.orderAction.create({ data: { shop: OTHER_SHOP, conversationId: "conv_other", sourceMessageId: "note_other", agentId: "agent_other", command: "cancel", orderName: "#9999", status: "done", outcome: "Cancelled" } });

    await page.goto(`${stack.appUrl}/sandbox?page=order-actions`);
    await page.getByText("/address #1029").waitFor().catch(async (error) => {
      throw new Error(`${error}\n${(await page.locator("body").innerText()).slice(0, 1500)}`);
    });
    const first = await commandsOnScreen();
    expect(first).toHaveLength(25);
    expect(first.slice(0, 3)).toEqual(["/address #1029", "/refund #1028", "/refund #1027"]);
    expect(first.at(-1)).toBe("/refund #1005");
    await page.getByText("Shipping address changed to <img src=x onerror=alert(1)> Hauptstraße 5, Berlin").waitFor();
    expect(await page.locator("img[src=x]").count()).toBe(0);
    // Times in the shop's time zone (Berlin, UTC+1): the newest was written at 09:29 UTC.
    await page.getByText("Dec 1, 2026, 10:29 AM").first().waitFor();
    await page.getByText(`confirmed by Linus (${agents[2]})`).first().waitFor();
    await page.getByText(`Ada (${agents[0]})`).first().waitFor();
    await page.getByText(`Grace (${agents[1]})`).first().waitFor();
    await page.getByText("agent_gone", { exact: true }).waitFor();
    await page.getByText("Above your largest refund (EUR 50.00)").first().waitFor();
    expect(await page.getByText("#9999").count()).toBe(0);
    await expectAccessible();
    await screenshot(page, resolve("screenshots/order-actions.png"));
    mkdirSync(resolve("docs/screenshots"), { recursive: true });
    copyFileSync(resolve("screenshots/order-actions.png"), resolve("docs/screenshots/order-actions.png"));

    await page.getByRole("link", { name: "Older order actions" }).click();
    await page.getByText("/refund #1004").waitFor();
    expect(await commandsOnScreen()).toEqual(["/refund #1004", "/refund #1003", "/refund #1002", "/refund #1001", "/refund #1000"]);
    await page.getByRole("link", { name: "Newer order actions" }).click();
    await page.getByText("/address #1029").waitFor();
    expect(await commandsOnScreen()).toEqual(first);
    expect(errors.filter((e) => e.url.startsWith(stack.appUrl) || e.url === "pageerror")).toEqual([]);
  });

  it("pages only through this shop's rows: another shop's row id as the cursor shows the newest page", async () => {
    const foreign = await stack.db.orderAction.findFirstOrThrow({ where: { shop: OTHER_SHOP } });
    const { status, body } = await loadRoute<{ actions: Array<{ orderName: string }>; previous: unknown }>(stack, TEST_SHOP, `/app/order-actions?after=${foreign.id}`, "routes/app.order-actions");
    expect(status).toBe(200);
    expect(body.actions.map((a) => a.orderName).slice(0, 2)).toEqual(["#1029", "#1028"]);
    expect(body.actions.map((a) => a.orderName)).not.toContain("#9999");
    expect(body.previous).toBeNull();
  });
});
