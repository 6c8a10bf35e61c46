import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import { startLoaderServer } from "../test/storefront/loader-server";
import { startStorefront, type PageKind, type PageOptions } from "../test/storefront/storefront-site";

/**
 * How much does the Oscar Chat app embed cost a store's Lighthouse performance score? Lighthouse
 * (mobile, simulated throttling: its defaults) scores the storefront-like home, product and collection
 * pages without the embed, with it (the default: loader deferred to idle or first interaction), and with
 * "Load the chat immediately", all in the same run, and prints the drop weighted as Shopify weighs
 * pages for its theme speed score (home 17%, product 40%, collection 43%). Goal: at most 2 points.
 *
 * The pages' theme spends 50 ms of script at start-up, so scores are not pinned at 100. The Oscar loader
 * is a local HTTPS stand-in given the weight of a real chat widget: 120 KB of script and a 120 ms task
 * when it runs (on this machine; Lighthouse's simulation multiplies CPU time by 4).
 *
 *   npx tsx bench/storefront-lighthouse.ts [runs per page and variant, default 3]
 *   CHROME_PATH (default /usr/bin/chromium)
 */

const PAGES: Array<{ kind: PageKind; weight: number }> = [
  { kind: "home", weight: 0.17 },
  { kind: "product", weight: 0.4 },
  { kind: "collection", weight: 0.43 },
];
const VARIANTS: Array<{ name: string; options: PageOptions }> = [
  { name: "without embed", options: { embed: false } },
  { name: "with embed", options: {} },
  { name: "load immediately", options: { immediate: true } },
];
const WIDGET_COST = { busyMs: 120, paddingBytes: 120_000 };
const THEME_WORK_MS = 50;

const runs = Number(process.argv[2] ?? 3);
if (!(Number.isInteger(runs) && runs > 0)) throw new Error("Give the number of runs as a whole number, e.g. 3");

const loader = await startLoaderServer(WIDGET_COST);
const site = await startStorefront({ loaderUrl: loader.loaderUrl, themeWorkMs: THEME_WORK_MS });
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
const key = (kind: PageKind, variant: string) => `${kind}|${variant}`;
try {
  for (let run = 1; run <= runs; run++) {
    // Interleaved, so a slow moment of the machine hurts every variant alike.
    for (const { kind } of PAGES) {
      for (const variant of VARIANTS) {
        const result = await lighthouse(site.pageUrl(kind, variant.options), { port: chrome.port, logLevel: "error", onlyCategories: ["performance"] });
        const score = Math.round((result?.lhr.categories.performance.score ?? NaN) * 100);
        scores.set(key(kind, variant.name), [...(scores.get(key(kind, variant.name)) ?? []), score]);
        process.stdout.write(`run ${run}/${runs}  ${kind.padEnd(10)} ${variant.name.padEnd(17)} ${score}\n`);
      }
    }
  }
} finally {
  chrome.kill();
  await site.close();
  await loader.close();
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const medianScore = (kind: PageKind, variant: string) => median(scores.get(key(kind, variant)) ?? []);

process.stdout.write(`\nLighthouse performance (median of ${runs}; mobile, simulated throttling)\n`);
process.stdout.write(`${"page".padEnd(12)}${VARIANTS.map((v) => v.name.padStart(18)).join("")}   drop (with embed)\n`);
let weightedDrop = 0;
let weightedDropImmediate = 0;
for (const { kind, weight } of PAGES) {
  const [without, withEmbed, immediate] = VARIANTS.map((v) => medianScore(kind, v.name));
  weightedDrop += weight * (without - withEmbed);
  weightedDropImmediate += weight * (without - immediate);
  process.stdout.write(`${kind.padEnd(12)}${[without, withEmbed, immediate].map((s) => String(s).padStart(18)).join("")}   ${without - withEmbed}\n`);
}
process.stdout.write(`\nweighted drop (home 17%, product 40%, collection 43%): ${weightedDrop.toFixed(2)} points with the embed (goal: at most 2)`);
process.stdout.write(`, ${weightedDropImmediate.toFixed(2)} with "Load the chat immediately"\n`);
process.stdout.write(
  `theme start-up work ${THEME_WORK_MS} ms; loader stand-in ${WIDGET_COST.paddingBytes / 1000} KB and ${WIDGET_COST.busyMs} ms of script when it runs (fetched ${loader.requests()} times)\n`,
);
