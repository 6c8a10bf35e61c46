import { readFileSync } from "node:fs";
import * as chromeLauncher from "chrome-launcher";
import lighthouse, { startTimespan } from "lighthouse";
import puppeteer, { type Browser } from "puppeteer-core";
import { startLoaderServer } from "../test/storefront/loader-server";
import { median } from "../test/storefront/page-timing";
import { startStorefront, type PageKind, type PageOptions, type Storefront } from "../test/storefront/storefront-site";
import { atMost, runIfMain, type BenchOptions, type BenchReport, type Goal } from "./support/goals";

/**
 * How much does the Oscar Chat app embed cost a store's Lighthouse performance score? Lighthouse
 * (mobile, simulated throttling: its defaults) scores the storefront-like home, product and collection
 * pages without the embed, with it (the default: the app's launcher, the widget once the page has
 * settled or at the first interaction) and with "Load the chat immediately" (the widget as soon as the
 * page has loaded), interleaved run by run, and weighs each variant's drop in median score as Shopify
 * weighs pages for its theme speed score (home 17%, product 40%, collection 43%).
 * Goals: the App Store's rule (a drop of at most 10 points) for both, our own 2 points for the default,
 * and the figure the "Load the chat immediately" setting tells the merchant, within 3 points.
 *
 * Lighthouse's navigation ends before the default's widget loads, so the page where it does is measured
 * apart: a Lighthouse timespan (DevTools throttling) of a shopper loading the product page and opening
 * the chat from the launcher, against the same page without the embed (reported, no goal: see
 * bench/storefront-page-timing.ts for the launcher's response, which has one).
 *
 * The pages' theme spends 50 ms of script at start-up, so scores are not pinned at 100. The Oscar loader
 * is a local HTTPS stand-in given the weight of a real chat widget: 120 KB of script and a 120 ms task
 * when it runs (on this machine; Lighthouse's simulation multiplies CPU time by 4).
 *
 *   npx tsx bench/storefront-lighthouse.ts [--quick]      CHROME_PATH (default /usr/bin/chromium)
 * To see the goals miss: STOREFRONT_SLOW_EMBED_MS=100 (that much synchronous work in the embed's script)
 * or STOREFRONT_EAGER_WIDGET=1 (the loader's script tag in the page's HTML).
 */

const PAGES: Array<{ kind: PageKind; weight: number }> = [
  { kind: "home", weight: 0.17 },
  { kind: "product", weight: 0.4 },
  { kind: "collection", weight: 0.43 },
];
const VARIANTS = [
  { name: "without embed", options: { embed: false } },
  { name: "with embed", options: {} },
  { name: "load immediately", options: { immediate: true } },
] as const satisfies ReadonlyArray<{ name: string; options: PageOptions }>;
type VariantName = (typeof VARIANTS)[number]["name"];

const WIDGET_COST = { busyMs: 120, paddingBytes: 120_000 };
const THEME_WORK_MS = 50;
const APP_STORE_MAX_DROP = 10;
const OUR_MAX_DROP = 2;
/** How far the measured cost of "Load the chat immediately" may sit from the figure its label gives. */
const LABEL_TOLERANCE = 3;
const SETTING_LABELS = "extensions/oscar-chat/locales/en.default.schema.json";

export async function run({ quick }: BenchOptions): Promise<BenchReport> {
  const runs = quick ? 2 : 5;
  const timespans = quick ? 1 : 3;
  const loader = await startLoaderServer(WIDGET_COST);
  const site = await startStorefront({
    loaderUrl: loader.loaderUrl,
    themeWorkMs: THEME_WORK_MS,
    slowEmbedWorkMs: Number(process.env.STOREFRONT_SLOW_EMBED_MS ?? 0),
    eagerWidget: process.env.STOREFRONT_EAGER_WIDGET === "1",
  });
  const chrome = await chromeLauncher.launch({
    chromePath: process.env.CHROME_PATH ?? "/usr/bin/chromium",
    chromeFlags: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
      // The loader stand-in's certificate is self-signed for 127.0.0.1.
      "--ignore-certificate-errors",
    ],
  });

  const scores = new Map<string, number[]>();
  const key = (kind: PageKind, variant: VariantName) => `${kind}|${variant}`;
  let opening: { withEmbed: Timespan; without: Timespan } | Error;
  try {
    for (let i = 0; i < runs; i++) {
      for (const { kind } of PAGES) {
        // Interleaved, and each run in another order, so a slow moment of the machine hurts every variant alike.
        for (const variant of rotate(VARIANTS, i)) {
          const result = await lighthouse(site.pageUrl(kind, variant.options), { port: chrome.port, logLevel: "error", onlyCategories: ["performance"] });
          const score = Math.round((result?.lhr.categories.performance.score ?? NaN) * 100);
          scores.set(key(kind, variant.name), [...(scores.get(key(kind, variant.name)) ?? []), score]);
        }
      }
    }
    // Figures without a goal: a failure here (e.g. a deliberately eager widget that opens no panel of its own) is reported, not fatal.
    opening = await measureChatOpening(chrome.port, site, timespans).catch((error: Error) => error);
  } finally {
    chrome.kill();
    await site.close();
    await loader.close();
  }

  const medianScore = (kind: PageKind, variant: VariantName) => median(scores.get(key(kind, variant)) ?? []);
  const weightedDrop = (variant: VariantName) =>
    Math.round(PAGES.reduce((sum, { kind, weight }) => sum + weight * (medianScore(kind, "without embed") - medianScore(kind, variant)), 0) * 100) / 100;
  const drop = weightedDrop("with embed");
  const dropImmediate = weightedDrop("load immediately");
  const told = labelledCost();

  const goals: Goal[] = [
    atMost("default (launcher, widget later): weighted score drop, the App Store's rule", drop, APP_STORE_MAX_DROP, "points"),
    atMost("default (launcher, widget later): weighted score drop, our own goal", drop, OUR_MAX_DROP, "points"),
    // The option breaks the App Store's rule (a widget's start-up task counts as blocking time wherever
    // it lands while Lighthouse records), so its goal is that the merchant is told the true cost where
    // they turn it on; the rule itself is reported below. The choice: keep the rule, or label it.
    {
      name: `"Load the chat immediately": weighted score drop, as its setting's label tells the merchant`,
      figure: dropImmediate,
      unit: "points",
      goal: `${told} ± ${LABEL_TOLERANCE} (the label's figure)`,
      met: Math.abs(dropImmediate - told) <= LABEL_TOLERANCE,
    },
  ];
  const info = [
    `"Load the chat immediately": ${dropImmediate} points against the App Store's ${APP_STORE_MAX_DROP}-point rule (${dropImmediate <= APP_STORE_MAX_DROP ? "kept" : "broken, which its setting's label says"})`,
    `median performance score of ${runs} (mobile, simulated throttling), ${VARIANTS.map((v) => v.name).join(" / ")}:`,
    ...PAGES.map(({ kind, weight }) => `  ${kind} (${weight * 100} %): ${VARIANTS.map((v) => medianScore(kind, v.name)).join(" / ")}`),
    opening instanceof Error
      ? `shopper opens the chat on the product page: not measured (${opening.message.split("\n")[0]})`
      : `shopper opens the chat on the product page (Lighthouse timespan, DevTools throttling, median of ${timespans}): total blocking time ` +
        `${opening.withEmbed.totalBlockingTime} ms with the embed (the widget loads on the click) vs ${opening.without.totalBlockingTime} ms without; ` +
        `interaction to next paint ${opening.withEmbed.interactionToNextPaint} ms`,
    `theme start-up work ${THEME_WORK_MS} ms; loader stand-in ${WIDGET_COST.paddingBytes / 1000} KB and ${WIDGET_COST.busyMs} ms of script when it runs (fetched ${loader.requests()} times)`,
  ];
  return { bench: "Storefront Lighthouse score with the Oscar Chat embed", goals, info };
}

/** The "Costs about N points" the merchant reads under "Load the chat immediately" in the theme editor. */
function labelledCost(): number {
  const labels = JSON.parse(readFileSync(SETTING_LABELS, "utf8")) as { blocks: { embed: { settings: { load_immediately: { info: string } } } } };
  const figure = /about (\d+(?:\.\d+)?) points/.exec(labels.blocks.embed.settings.load_immediately.info)?.[1];
  return figure === undefined ? NaN : Number(figure);
}

function rotate<T>(items: readonly T[], by: number): T[] {
  return items.map((_, i) => items[(i + by) % items.length]);
}

type Timespan = { totalBlockingTime: number; interactionToNextPaint: number };

/**
 * A shopper loads the product page and, once it has loaded, clicks the app's launcher; the timespan ends
 * when the widget has opened. Without the embed, the same load and a click on the page's heading.
 */
async function measureChatOpening(port: number, site: Storefront, times: number): Promise<{ withEmbed: Timespan; without: Timespan }> {
  const browser: Browser = await puppeteer.connect({ browserURL: `http://127.0.0.1:${port}` });
  const spans: Record<"withEmbed" | "without", Timespan[]> = { withEmbed: [], without: [] };
  try {
    for (let i = 0; i < times; i++) {
      for (const variant of ["without", "withEmbed"] as const) {
        const page = await browser.newPage();
        try {
          const span = await startTimespan(page, { config: { extends: "lighthouse:default", settings: { onlyCategories: ["performance"] } } });
          await page.goto(site.pageUrl("product", { embed: variant === "withEmbed" }), { waitUntil: "load" });
          if (variant === "withEmbed") {
            await page.click(".oscar-chat-launcher");
            await page.waitForFunction(() => typeof (window as { __oscarStandIn?: { panelText: string | null } }).__oscarStandIn?.panelText === "string", { timeout: 60_000 });
          } else {
            await page.click("h1");
          }
          const audits = (await span.endTimespan())?.lhr.audits;
          spans[variant].push({
            totalBlockingTime: Math.round(audits?.["total-blocking-time"]?.numericValue ?? NaN),
            interactionToNextPaint: Math.round(audits?.["interaction-to-next-paint"]?.numericValue ?? NaN),
          });
        } finally {
          await page.close();
        }
      }
    }
  } finally {
    await browser.disconnect();
  }
  const medians = (list: Timespan[]) => ({
    totalBlockingTime: median(list.map((s) => s.totalBlockingTime)),
    interactionToNextPaint: median(list.map((s) => s.interactionToNextPaint)),
  });
  return { withEmbed: medians(spans.withEmbed), without: medians(spans.without) };
}

await runIfMain(import.meta.url, run);
