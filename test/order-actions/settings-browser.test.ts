import { resolve } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadOrderCommandSettings } from "../../app/models/order-commands.server";
import { describeViolations, findAccessibilityViolations } from "../harness/axe";
import { launchBrowser, newDesktopPage, recordConsoleErrors, screenshot } from "../harness/browser";
import { installShop, startAppStack, TEST_SHOP, type AppStack } from "../harness/app-stack";
import { waitFor } from "../harness/wait";

/**
 * Turning order actions on in Settings, in Chromium: the command is saved off until Shopify's
 * permission dialog (the sandbox App Bridge stand-in's confirm()) grants its optional scope.
 */
describe("order actions in Settings, in a real browser", () => {
  let stack: AppStack;
  let browser: Browser;
  let page: Page;
  let errors: Array<{ text: string; url: string }>;

  beforeAll(async () => {
    stack = await startAppStack({ label: "order-actions-settings", extraEnv: { SANDBOX_MODE: "true", SANDBOX_SHOP: TEST_SHOP } });
    await installShop(stack, TEST_SHOP);
    await stack.db.shop.update({ where: { domain: TEST_SHOP }, data: { currencyCode: "EUR" } });
    browser = await launchBrowser();
    page = await newDesktopPage(browser);
    page.setDefaultTimeout(15_000);
    errors = recordConsoleErrors(page);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  const saved = () => loadOrderCommandSettings(stack.db, TEST_SHOP);
  const refund = () => page.getByLabel("Refund orders, up to your limit");

  it("saves refunds off until the merchant allows write_orders, then turns them on", async () => {
    await page.goto(`${stack.appUrl}/sandbox?page=settings`);
    await page.getByText("Order actions from the inbox").waitFor();
    expect(await refund().isChecked()).toBe(false);
    await page.getByText("Needs access: write_orders").first().waitFor();
    const violations = await findAccessibilityViolations(page);
    expect(violations, describeViolations(violations)).toEqual([]);

    await refund().check();
    await page.getByLabel("Agents who may use order actions").fill("agent_1");
    await page.getByLabel("Largest refund").fill("50");
    await page.getByRole("button", { name: "Save order actions" }).click();
    await page.getByText("Shopify needs your permission first").waitFor();
    await page.getByText("cancel orders, refund them and change their shipping address").waitFor();
    expect(await saved()).toMatchObject({ enabledCommands: [], allowedAgentIds: ["agent_1"], maxRefundAmount: "50.00" });
    await waitFor("the form to show what was saved (refunds off)", async () => !(await refund().isChecked()));
    await screenshot(page, resolve("screenshots/order-actions-settings.png"));

    // The merchant declines in Shopify's dialog: nothing turns on.
    page.once("dialog", (dialog) => void dialog.dismiss());
    await page.getByRole("button", { name: "Allow access in Shopify" }).click();
    await page.getByText("Access was not granted", { exact: false }).waitFor();
    expect((await saved()).enabledCommands).toEqual([]);

    // The merchant allows: Shopify grants write_orders and refunds turn on.
    page.once("dialog", (dialog) => void dialog.accept());
    await page.getByRole("button", { name: "Allow access in Shopify" }).click();
    await page.getByText("Access granted: the order actions are on").waitFor();
    expect((await saved()).enabledCommands).toEqual(["refund"]);
    expect(stack.fakeAdmin.grantedScopesOf(TEST_SHOP)).toContain("write_orders");
    await waitFor("refunds shown on", () => refund().isChecked());
    expect(await page.getByText("Needs access: write_orders").count()).toBe(0);
    // Discounts still need their own scope.
    await page.getByText("Needs access: write_discounts").waitFor();
    const refused = (e: { text: string; url: string }) => /status of 409 /.test(e.text);
    expect(errors.filter((e) => (e.url.startsWith(stack.appUrl) || e.url === "pageerror") && !refused(e))).toEqual([]);
  });
});
