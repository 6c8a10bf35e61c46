import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { atMost, runIfMain, type BenchOptions, type BenchReport } from "./support/goals";

/**
 * What the storefront downloads from the Oscar Chat theme app extension on every page: each asset's size
 * as served (gzip, level 6 as CDNs commonly use) and raw. Goal: at most 2 KB gzipped for each of the
 * script and the stylesheet (Oscar's own widget comes later, and is weighed by the Lighthouse bench).
 *
 *   npx tsx bench/storefront-asset-size.ts
 *   STOREFRONT_ASSETS_DIR=<folder>  weigh another copy of the assets (e.g. one made heavier, to see a miss)
 */

const GOAL_BYTES = 2048;

export async function run(_options: BenchOptions): Promise<BenchReport> {
  const assets = resolve(process.env.STOREFRONT_ASSETS_DIR ?? "extensions/oscar-chat/assets");
  const files = readdirSync(assets).filter((file) => /\.(js|css)$/.test(file)).sort();
  const goals = [];
  const info = [];
  for (const file of files) {
    const raw = readFileSync(join(assets, file));
    goals.push(atMost(`${file}, gzipped`, gzipSync(raw, { level: 6 }).length, GOAL_BYTES, "B"));
    info.push(`${file}: ${raw.length} B raw`);
  }
  // No asset at all would meet every goal by having none: say so instead.
  if (!files.length) goals.push(atMost(`script and stylesheet in ${assets}`, NaN, GOAL_BYTES, "B"));
  return { bench: "Storefront assets of the Oscar Chat theme extension", goals, info };
}

await runIfMain(import.meta.url, run);
