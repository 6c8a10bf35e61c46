import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";

/**
 * What the storefront downloads from the Oscar Chat theme app extension: each asset's size as served
 * (gzip, level 6 as CDNs commonly use) and raw. Goal: under 2 KB gzipped for the script and the stylesheet.
 *
 *   npx tsx bench/storefront-asset-size.ts
 */

const GOAL_BYTES = 2048;
const assets = resolve("extensions/oscar-chat/assets");

let overGoal = 0;
for (const file of readdirSync(assets).sort()) {
  const raw = readFileSync(join(assets, file));
  const gzipped = gzipSync(raw, { level: 6 }).length;
  const verdict = gzipped < GOAL_BYTES ? "ok" : "OVER 2 KB";
  if (gzipped >= GOAL_BYTES) overGoal++;
  process.stdout.write(`${file.padEnd(18)} ${String(gzipped).padStart(6)} B gzipped  ${String(raw.length).padStart(6)} B raw  ${verdict}\n`);
}
process.exitCode = overGoal ? 1 : 0;
