// Shopify's theme check, run offline. The checker fetches its Liquid docs from GitHub unless
// SHOPIFY_TLD_ROOT names a local copy; the copy here is the one the checker ships as its fallback.
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";

const require = createRequire(import.meta.url);

export type ThemeCheckOffense = { check: string; severity: number; file: string; line: number | undefined; message: string };

/** A folder laid out like github.com/Shopify/theme-liquid-docs, built from the checker's bundled data. */
function localLiquidDocs(): string {
  const data = join(dirname(require.resolve("@shopify/theme-check-docs-updater/package.json")), "data");
  const root = mkdtempSync(join(tmpdir(), "theme-liquid-docs-"));
  mkdirSync(join(root, "data"));
  mkdirSync(join(root, "schemas"));
  for (const file of ["filters", "objects", "tags", "latest", "shopify_system_translations"]) {
    copyFileSync(join(data, `${file}.json`), join(root, "data", `${file}.json`));
  }
  for (const manifest of ["manifest_theme", "manifest_theme_app_extension"]) {
    copyFileSync(join(data, `${manifest}.json`), join(root, "schemas", `${manifest}.json`));
    const { schemas } = JSON.parse(readFileSync(join(data, `${manifest}.json`), "utf8")) as { schemas: { uri: string }[] };
    for (const { uri } of schemas) {
      mkdirSync(join(root, "schemas", dirname(uri)), { recursive: true });
      copyFileSync(join(data, basename(uri)), join(root, "schemas", uri));
    }
  }
  return root;
}

/** Offenses of Shopify's theme-app-extension configuration (severity 0 = error, 1 = warning, 2 = info). */
export async function runThemeCheck(extensionRoot: string): Promise<ThemeCheckOffense[]> {
  const docs = localLiquidDocs();
  process.env.SHOPIFY_TLD_ROOT = docs;
  // The checker keeps its copy of the docs under XDG_CACHE_HOME (read once, at import): the repo's .cache, not the user's.
  process.env.XDG_CACHE_HOME = resolve(".cache");
  try {
    const { themeCheckRun } = await import("@shopify/theme-check-node");
    const config = join(dirname(require.resolve("@shopify/theme-check-node/package.json")), "configs", "theme-app-extension.yml");
    const { offenses } = await themeCheckRun(extensionRoot, config, () => {});
    return offenses.map((o) => ({ check: o.check, severity: o.severity, file: o.uri.slice(o.uri.lastIndexOf("/") + 1), line: o.start?.line, message: o.message }));
  } finally {
    rmSync(docs, { recursive: true, force: true });
  }
}

/** The files the checker looked at, so a test can tell "no offenses" from "nothing checked". */
export function extensionFiles(extensionRoot: string): string[] {
  return ["blocks", "assets", "locales"].flatMap((dir) => readdirSync(join(extensionRoot, dir)).map((file) => `${dir}/${file}`));
}
