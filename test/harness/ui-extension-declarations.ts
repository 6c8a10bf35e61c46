import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { findUiExtensions } from "../../scripts/build-ui-extensions";

/**
 * Checks each UI extension's shopify.extension.toml against what Shopify's published package defines,
 * the way `shopify app build` would refuse it: every target is one @shopify/ui-extensions declares, every
 * module exists, api_version is a quarterly version the installed package covers (and no older than
 * 2025-10, the first with the Preact + web components API the builder compiles for), and the locales
 * (en.default.json and fr.json) have the same keys, with every key a module names literally.
 * Answers one sentence per problem (none when all is well).
 */

const PACKAGE = resolve("node_modules/@shopify/ui-extensions");
// The first API version of Preact + s-* web components (shopify.dev: "Version 2025-07 is the last API version to support React-based UI components").
const OLDEST_PREACT_API = "2025-10";
const REQUIRED_LOCALES = ["en.default", "fr"];

/** Every target the installed package declares: one <target>.d.ts per target under build/ts/surfaces/<surface>/targets/. */
export function publishedTargets(): Set<string> {
  const surfaces = join(PACKAGE, "build/ts/surfaces");
  const targets = new Set<string>();
  for (const surface of readdirSync(surfaces, { withFileTypes: true }).filter((d) => d.isDirectory())) {
    const dir = join(surfaces, surface.name, "targets");
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir)) if (file.endsWith(".d.ts") && !file.endsWith(".d.ts.map")) targets.add(file.slice(0, -".d.ts".length));
  }
  return targets;
}

/** The API version the installed package was published for: 2026.7.4 → 2026-07. */
export function packageApiVersion(): string {
  const [year, month] = (JSON.parse(readFileSync(join(PACKAGE, "package.json"), "utf8")) as { version: string }).version.split(".");
  return `${year}-${month!.padStart(2, "0")}`;
}

function flatKeys(value: unknown, prefix = ""): string[] {
  if (typeof value !== "object" || value === null) return [prefix];
  const entries = Object.entries(value as Record<string, unknown>);
  // A plural entry (one/other) is one key for translate("…", { count }).
  if (entries.length && entries.every(([k]) => ["zero", "one", "two", "few", "many", "other"].includes(k))) return entries.map(([k]) => `${prefix}.${k}`);
  return entries.flatMap(([k, v]) => flatKeys(v, prefix ? `${prefix}.${k}` : k));
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? filesUnder(join(dir, d.name)) : [join(dir, d.name)]));
}

// translate("key" / t("key" with a literal key; keys built at runtime (`message.failed.${reason}`) are checked by the render tests.
const LITERAL_KEY = /\b(?:translate|t)\(\s*"([A-Za-z0-9_.-]+)"/g;

export function uiExtensionProblems(root: string): string[] {
  const targets = publishedTargets();
  const newest = packageApiVersion();
  const problems: string[] = [];
  for (const extension of findUiExtensions(root)) {
    const where = relative(root, extension.dir);
    if (extension.type !== "ui_extension") problems.push(`${where}: type is "${extension.type}", not "ui_extension"`);
    const version = extension.apiVersion;
    if (!version || !/^\d{4}-(01|04|07|10)$/.test(version)) problems.push(`${where}: api_version "${version ?? ""}" is not a quarterly API version (YYYY-01, -04, -07 or -10)`);
    else if (version > newest) problems.push(`${where}: api_version ${version} is newer than the installed @shopify/ui-extensions (${newest})`);
    else if (version < OLDEST_PREACT_API) problems.push(`${where}: api_version ${version} predates the Preact web components API (${OLDEST_PREACT_API}) the builder compiles for`);
    for (const { target, module } of extension.targets) {
      if (!targets.has(target)) problems.push(`${where}: target ${target} is not one @shopify/ui-extensions declares`);
      if (!existsSync(resolve(extension.dir, module))) problems.push(`${where}: module ${module} for ${target} does not exist`);
    }

    const locales = Object.fromEntries(
      REQUIRED_LOCALES.map((name) => {
        const file = join(extension.dir, "locales", `${name}.json`);
        if (!existsSync(file)) {
          problems.push(`${where}: locales/${name}.json is missing`);
          return [name, null];
        }
        return [name, new Set(flatKeys(JSON.parse(readFileSync(file, "utf8"))))];
      }),
    ) as Record<string, Set<string> | null>;
    const english = locales["en.default"];
    for (const name of REQUIRED_LOCALES.slice(1)) {
      const other = locales[name];
      if (!english || !other) continue;
      for (const key of english) if (!other.has(key)) problems.push(`${where}: locales/${name}.json lacks "${key}"`);
      for (const key of other) if (!english.has(key)) problems.push(`${where}: locales/${name}.json has "${key}", which en.default.json does not`);
    }
    if (english) {
      const toml = readFileSync(join(extension.dir, "shopify.extension.toml"), "utf8");
      for (const [, key] of toml.matchAll(/"t:([A-Za-z0-9_.-]+)"/g)) if (!english.has(key!)) problems.push(`${where}: shopify.extension.toml names t:${key}, which en.default.json lacks`);
      const src = join(extension.dir, "src");
      for (const file of existsSync(src) ? filesUnder(src) : []) {
        for (const [, key] of readFileSync(file, "utf8").matchAll(LITERAL_KEY)) {
          const known = english.has(key!) || [...english].some((k) => k.startsWith(`${key}.`));
          if (!known) problems.push(`${relative(root, file)}: translates "${key}", which en.default.json lacks`);
        }
      }
    }
  }
  return problems;
}
