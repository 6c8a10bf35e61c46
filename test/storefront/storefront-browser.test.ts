import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, recordConsoleErrors } from "../harness/browser";
import { startLoaderServer } from "./loader-server";
import { compareLoads, MAX_PAGE_TIMING_RATIO, PAGE_METRICS } from "./page-timing";
import { OSCAR_LOADER_URL, oscarLoaderStandInSource, type StandInRecord } from "./oscar-loader-stand-in";
import { HELP_FLOW_ID, IDENTITY, NO_IDENTITY, PRODUCT, startStorefront, WIDGET_ID, type PageKind, type PageOptions, type Storefront } from "./storefront-site";

declare global {
  interface Window {
    __oscarStandIn?: StandInRecord;
    __widgetScriptLoaded?: Promise<void>;
  }
}

const LOOPBACK = /^https?:\/\/127\.0\.0\.1(:\d+)?\//;
/** A real chat widget's weight (bench/storefront-lighthouse.ts): 120 KB of script, a 120 ms task when it runs. */
const WIDGET_COST = { busyMs: 120, paddingBytes: 120_000 };

describe("the chat widget on a storefront, in a real browser", () => {
  let browser: Browser;
  let site: Storefront;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    [browser, site] = await Promise.all([launchBrowser(), startStorefront()]);
  });
  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close()));
    await browser?.close();
    await site?.close();
  });

  /**
   * A fresh shopper (no cache, no storage) whose browser reaches only loopback and the loader stand-in.
   * `beforeLoader` runs when the loader is asked for and the answer waits for it: the network's timing.
   */
  async function shopper(beforeLoader?: () => Promise<void>): Promise<{ page: Page; loaderRequests: number[]; errors: Array<{ text: string; url: string }> }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    contexts.push(context);
    const loaderRequests: number[] = [];
    await context.route("**/*", async (route) => {
      const url = route.request().url();
      if (url === OSCAR_LOADER_URL) {
        loaderRequests.push(Date.now());
        await beforeLoader?.();
        return route.fulfill({ status: 200, contentType: "text/javascript", body: oscarLoaderStandInSource() });
      }
      return LOOPBACK.test(url) ? route.continue() : route.abort();
    });
    const page = await context.newPage();
    return { page, loaderRequests, errors: recordConsoleErrors(page) };
  }

  async function visit(kind: PageKind, options: PageOptions = {}, waitUntil: "load" | "domcontentloaded" = "load", beforeLoader?: () => Promise<void>) {
    const visitor = await shopper(beforeLoader);
    await visitor.page.goto(site.pageUrl(kind, options), { waitUntil });
    return visitor;
  }

  /**
   * The home page mid-load, its loader held back once asked for: `deliverLoader` sends it and resolves
   * when the embed's script element has loaded it (its onload has run), so a test can act in between.
   */
  async function visitMidLoadWithLoaderHeld() {
    let asked!: () => void;
    let answer!: () => void;
    const loaderRequested = new Promise<void>((resolve) => (asked = resolve));
    const answered = new Promise<void>((resolve) => (answer = resolve));
    const visitor = await visit("home", { slowImageMs: 8_000 }, "domcontentloaded", () => {
      asked();
      return answered;
    });
    const deliverLoader = async () => {
      await visitor.page.evaluate(() => {
        window.__widgetScriptLoaded = new Promise<void>((resolve) =>
          document.addEventListener("load", (event) => (event.target as Element).matches?.("script[data-widget-id]") && resolve(), true),
        );
      });
      answer();
      await visitor.page.evaluate(() => window.__widgetScriptLoaded);
    };
    return { ...visitor, loaderRequested, deliverLoader };
  }

  /** A shopper's first keypress: loads the chat without waiting for the page to settle. */
  const pressAKey = (page: Page) => page.keyboard.press("Shift");
  const standIn = (page: Page) => page.waitForFunction(() => window.__oscarStandIn).then(() => page.evaluate(() => window.__oscarStandIn!));
  const commandsOf = (record: StandInRecord) => record.commands.map(({ command, args }) => ({ command, args }));

  it("keeps the loader out of the page load, then fetches it async once the page has settled", async () => {
    const { page, loaderRequests, errors } = await visit("home");
    const atLoad = loaderRequests.length;

    const record = await standIn(page);
    const timing = await page.evaluate(() => {
      const navigation = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
      const loader = document.querySelector<HTMLScriptElement>(`script[data-widget-id]`);
      return { loadEventEnd: navigation.loadEventEnd, loaderAsync: loader?.async, loaderSrc: loader?.src };
    });
    expect(atLoad).toBe(0);
    expect(record.readyState).toBe("complete");
    // Settled: no sooner than 3 s after load, so the widget's start-up never competes with the page's.
    expect(record.executedAt - timing.loadEventEnd).toBeGreaterThanOrEqual(3000);
    expect(timing).toMatchObject({ loaderAsync: true, loaderSrc: OSCAR_LOADER_URL });
    expect(record.widgetId).toBe(WIDGET_ID);
    expect(loaderRequests).toHaveLength(1);
    // Once the widget is there, the app's stand-in launcher steps aside.
    await expect.poll(() => page.locator(".oscar-chat-launcher").count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it("fetches the loader at the shopper's first interaction, before the page has finished loading", async () => {
    const { page } = await visit("collection", { slowImageMs: 8_000 }, "domcontentloaded");
    await page.locator(".oscar-chat-launcher").waitFor({ state: "visible" });
    // Pressing on the page's heading: an interaction that is not a click on anything of the chat's.
    await page.locator("h1").hover();
    await page.mouse.down();

    const record = await standIn(page);
    expect(record.readyState).not.toBe("complete");
    expect(commandsOf(record)).toEqual([]);
  });

  it("opens the chat at once when the shopper clicks the launcher, even mid-load", async () => {
    const { page } = await visit("home", { slowImageMs: 8_000 }, "domcontentloaded");
    const launcher = page.locator(".oscar-chat-launcher");
    await launcher.waitFor({ state: "visible" });
    expect(await launcher.getAttribute("aria-label")).toBe("Chat with us");
    await launcher.click();

    const record = await standIn(page);
    expect(record.readyState).not.toBe("complete");
    expect(commandsOf(record)).toEqual([{ command: "open", args: null }]);
  });

  it("opens the chat when the widget arrives while the shopper is still pressing the launcher", async () => {
    // Seen on a busy machine: the press started the loader, which landed before the release. Taking the
    // launcher away then cancels the click; and the widget's own launcher, put on top of it, takes the
    // release, so the click lands on what holds both, neither launcher.
    const { page, loaderRequested, deliverLoader } = await visitMidLoadWithLoaderHeld();
    const launcher = page.locator(".oscar-chat-launcher");
    await launcher.hover();
    await page.mouse.down();
    await loaderRequested;
    await deliverLoader();
    expect(await launcher.isVisible()).toBe(true);
    // The widget's launcher now covers the stand-in right where the pointer is.
    expect(await page.evaluate(() => document.elementFromPoint(innerWidth - 48, innerHeight - 48)?.className)).toBe("oscar-stand-in-launcher");

    await page.mouse.up();
    const record = await standIn(page);
    expect(commandsOf(record)).toEqual([{ command: "open", args: null }]);
    expect(record.panelText).toBe("");
    // The press is over: now the stand-in steps aside for the widget's own launcher.
    await expect.poll(() => launcher.count()).toBe(0);
  });

  it("keeps the launcher through a touch that turns into a scroll, and takes it away when the browser cancels the touch", async () => {
    const { page, loaderRequested, deliverLoader } = await visitMidLoadWithLoaderHeld();
    const launcher = page.locator(".oscar-chat-launcher");
    const heading = (await page.locator("h1").boundingBox())!;
    // A real touch through the browser's input pipeline: the browser cancels it (pointercancel) when
    // it becomes a scroll.
    const input = await page.context().newCDPSession(page);
    await input.send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: [{ x: heading.x + 5, y: heading.y + 5 }] });
    await loaderRequested;
    await deliverLoader();
    expect(await launcher.isVisible()).toBe(true);

    await input.send("Input.dispatchTouchEvent", { type: "touchCancel", touchPoints: [] });
    await expect.poll(() => launcher.count()).toBe(0);
    expect(commandsOf(await standIn(page))).toEqual([]);
  });

  it("delivers calls the theme made before the loader arrived, in order, after the signed identify; clears it after log-out", async () => {
    const before = site.identityRequests();
    const { page } = await visit("home", { loggedIn: true, earlyCalls: true });
    await pressAKey(page);
    const record = await standIn(page);

    expect(commandsOf(record)).toEqual([
      { command: "identify", args: IDENTITY },
      { command: "track", args: { step: 1 } },
      { command: "track", args: { step: 2 } },
    ]);
    expect(site.identityRequests() - before).toBe(1);

    // Every page asks the app again: a signature is never older than the page that uses it.
    await page.goto(site.pageUrl("collection", { loggedIn: true }));
    await pressAKey(page);
    expect(commandsOf(await standIn(page))).toEqual([{ command: "identify", args: IDENTITY }]);
    expect(site.identityRequests() - before).toBe(2);
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);

    // After logging out, the next page clears the identity before anything else, and keeps nothing.
    await page.goto(site.pageUrl("home", { earlyCalls: true }));
    await pressAKey(page);
    expect(commandsOf(await standIn(page))).toEqual([
      { command: "identify", args: NO_IDENTITY },
      { command: "track", args: { step: 1 } },
      { command: "track", args: { step: 2 } },
    ]);
    expect(await page.evaluate(() => [sessionStorage.length, localStorage.length])).toEqual([0, 0]);
    expect(site.identityRequests() - before).toBe(2);

    // Once cleared, later anonymous pages have nothing to clear.
    await page.goto(site.pageUrl("product", { earlyCalls: true }));
    await pressAKey(page);
    expect(commandsOf(await standIn(page)).map((c) => c.command)).toEqual(["track", "track"]);
  });

  it("renews the signed identity before it expires on a page left open", async () => {
    const visitor = await shopper();
    await visitor.page.clock.install();
    const before = site.identityRequests();
    await visitor.page.goto(site.pageUrl("home", { loggedIn: true }));
    await pressAKey(visitor.page);
    await standIn(visitor.page);
    expect(site.identityRequests() - before).toBe(1);
    // The signature lives 30 minutes; the page asks again before the 28th.
    await visitor.page.clock.fastForward("27:00");
    await expect.poll(() => site.identityRequests() - before).toBe(2);
    await expect
      .poll(() => visitor.page.evaluate(() => window.__oscarStandIn!.commands.filter((c) => c.command === "identify").length))
      .toBe(2);
  });

  it("never asks for an identity for a visitor who is not logged in", async () => {
    const before = site.identityRequests();
    const { page } = await visit("product", { earlyCalls: true });
    await pressAKey(page);
    const record = await standIn(page);
    expect(commandsOf(record).map((c) => c.command)).toEqual(["track", "track"]);
    expect(site.identityRequests()).toBe(before);
    expect(await page.content()).not.toContain("data-identity");
  });

  it("opens the chat with a message naming the product from the product page's button", async () => {
    const { page, errors } = await visit("product");
    await page.getByRole("button", { name: "Ask about this product" }).click();

    const record = await standIn(page);
    const message = `Hi! I have a question about ${PRODUCT.title}.`;
    await expect.poll(() => page.evaluate(() => window.__oscarStandIn!.panelText)).toBe(message);
    expect(commandsOf(await page.evaluate(() => window.__oscarStandIn!))).toContainEqual({ command: "open", args: { message } });
    expect(record.widgetId).toBe(WIDGET_ID);
    expect(errors).toEqual([]);
  });

  it("speaks the shopper's language on the product page", async () => {
    const { page } = await visit("product", { locale: "fr" });
    await page.getByRole("button", { name: "Une question sur ce produit ?" }).click();
    await standIn(page);
    await expect.poll(() => page.evaluate(() => window.__oscarStandIn!.panelText)).toBe(`Bonjour ! J’ai une question sur ${PRODUCT.title}.`);
  });

  it("starts the configured flow with what the page knows from the help button", async () => {
    const { page } = await visit("product");
    await page.getByRole("button", { name: "Get help" }).click();
    await standIn(page);
    await expect
      .poll(() => page.evaluate(() => window.__oscarStandIn!.commands.find((c) => c.command === "startFlow")?.args))
      .toEqual({ flow_id: HELP_FLOW_ID, context: { page: "product", cart_item_count: 2 } });
  });

  it("loads the widget as soon as the page has loaded when the merchant asks for it, signed identify first", async () => {
    const { page, loaderRequests } = await visit("product", { immediate: true, loggedIn: true, earlyCalls: true });
    expect(await page.locator(".oscar-chat-launcher").count()).toBe(0);
    const record = await standIn(page);
    const loadEventEnd = await page.evaluate(() => (performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming).loadEventEnd);
    // After the load event, so the page never waits for the widget; without the 3 s wait for the page to settle.
    expect(record.readyState).toBe("complete");
    expect(record.executedAt).toBeGreaterThanOrEqual(loadEventEnd);
    expect(record.executedAt - loadEventEnd).toBeLessThan(3000);
    expect(loaderRequests).toHaveLength(1);
    expect(commandsOf(record)).toEqual([
      { command: "identify", args: IDENTITY },
      { command: "track", args: { step: 1 } },
      { command: "track", args: { step: 2 } },
    ]);
  });

  it("hides the product page's buttons when the app embed is off, and loads nothing", async () => {
    const { page, loaderRequests } = await visit("product", { embed: false });
    await expect(page.getByRole("button", { name: "Add to cart" }).isVisible()).resolves.toBe(true);
    expect(await page.locator("[data-oscar-chat]").evaluateAll((buttons) => buttons.map((b) => (b as HTMLElement).hidden))).toEqual([true, true]);
    // Hidden buttons are the script's own sign that it found no embed and stopped: with no #oscar-chat
    // it listens for nothing. A shopper's click, then a request the page makes after it (every request
    // passes the route above in the order the page made them), must find no loader asked for.
    expect(await page.locator("#oscar-chat").count()).toBe(0);
    await page.locator("h1").click();
    await page.evaluate(() => fetch(location.href).then(() => undefined));
    expect(loaderRequests).toEqual([]);
  });

  // The bound: medians of interleaved loads (page-timing.ts), the home page, where the embed is all of Oscar Chat.
  async function homeWithAndWithout(loads: number, embed: { slowEmbedWorkMs?: number; eagerWidget?: boolean } = {}) {
    // No request interception here (it slows every request down); the loader is a real HTTPS server on loopback.
    const loader = await startLoaderServer(WIDGET_COST);
    const timedSite = await startStorefront({ loaderUrl: loader.loaderUrl, ...embed });
    try {
      const comparison = await compareLoads(browser, { without: timedSite.pageUrl("home", { embed: false }), with: timedSite.pageUrl("home") }, loads);
      const figures = PAGE_METRICS.map((m) => `${m} ${Math.round(comparison.with[m])} / ${Math.round(comparison.without[m])} ms, pairs' median ${comparison.ratio[m].toFixed(3)}`);
      process.stdout.write(`home page, median of ${loads}, with / without the embed${embed.slowEmbedWorkMs || embed.eagerWidget ? ` (deliberately slow: ${JSON.stringify(embed)})` : ""}: ${figures.join(", ")}\n`);
      return comparison;
    } finally {
      await timedSite.close();
      await loader.close();
    }
  }

  it(`costs the page at most ${Math.round((MAX_PAGE_TIMING_RATIO - 1) * 100)} % in load event and first paint`, async () => {
    const { ratio } = await homeWithAndWithout(25);
    for (const metric of PAGE_METRICS) expect(ratio[metric], metric).toBeLessThanOrEqual(MAX_PAGE_TIMING_RATIO);
  }, 120_000);

  it("would fail that bound with 100 ms of synchronous work in the embed's script", async () => {
    const { ratio } = await homeWithAndWithout(10, { slowEmbedWorkMs: 100 });
    expect(ratio.load).toBeGreaterThan(MAX_PAGE_TIMING_RATIO);
  }, 120_000);

  it("would fail that bound with the widget's loader in the page's HTML", async () => {
    const { ratio } = await homeWithAndWithout(10, { eagerWidget: true });
    expect(Math.max(ratio.load, ratio.firstContentfulPaint)).toBeGreaterThan(MAX_PAGE_TIMING_RATIO);
  }, 120_000);
});
