import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { parse } from "smol-toml";

/**
 * Checks the app's UI extensions (every extensions/<name>/shopify.extension.toml of type "ui_extension")
 * the way Shopify CLI and the host would reject them: each target is one the installed
 * @shopify/ui-extensions declares, each module exists, and the English and French locales both hold
 * every key the toml (`t:` names) and the modules (`shopify.i18n.translate("key")`) use.
 * Answers one sentence per problem.
 */

type UiExtensionToml = {
  api_version?: string;
  extensions?: { type?: string; name?: string; handle?: string; targeting?: { target?: string; module?: string }[] }[];
};

const LOCALES = ["en.default.json", "fr.json"];

/** Every target name @shopify/ui-extensions declares, across its surfaces (admin, checkout, customer account…). */
export function knownUiExtensionTargets(): Set<string> {
  const surfaces = join(dirname(createRequire(import.meta.url).resolve("@shopify/ui-extensions")), "build/ts/surfaces");
  const targets = new Set<string>();
  for (const surface of readdirSync(surfaces)) {
    const file = join(surfaces, surface, "extension-targets.d.ts");
    if (!existsSync(file)) continue;
    for (const match of readFileSync(file, "utf8").matchAll(/^\s*'([a-z-]+(?:\.[a-z-]+)+)':/gm)) targets.add(match[1]);
  }
  return targets;
}

export function uiExtensionDirs(extensionsDir: string): string[] {
  return readdirSync(extensionsDir)
    .map((name) => join(extensionsDir, name))
    .filter((dir) => existsSync(join(dir, "shopify.extension.toml")))
    .filter((dir) => ((parse(readFileSync(join(dir, "shopify.extension.toml"), "utf8")) as UiExtensionToml).extensions ?? []).some((e) => e.type === "ui_extension"));
}

function flatKeys(value: unknown, prefix = ""): string[] {
  if (typeof value !== "object" || value === null) return [prefix];
  return Object.entries(value).flatMap(([key, inner]) => flatKeys(inner, prefix ? `${prefix}.${key}` : key));
}

export function uiExtensionProblems(dir: string, targets = knownUiExtensionTargets()): string[] {
  const name = relative(join(dir, ".."), dir);
  const toml = parse(readFileSync(join(dir, "shopify.extension.toml"), "utf8")) as UiExtensionToml;
  const problems: string[] = [];
  if (!/^\d{4}-(01|04|07|10)$/.test(toml.api_version ?? "")) problems.push(`${name}: api_version ${toml.api_version ?? "(none)"} is not a Shopify API version`);

  const used = new Set<string>();
  for (const extension of toml.extensions ?? []) {
    if (extension.name?.startsWith("t:")) used.add(extension.name.slice(2));
    if (!extension.targeting?.length) problems.push(`${name}: ${extension.handle ?? "an extension"} has no [[extensions.targeting]]`);
    for (const { target, module } of extension.targeting ?? []) {
      if (!target || !targets.has(target)) problems.push(`${name}: target ${target ?? "(none)"} is not one @shopify/ui-extensions declares`);
      if (!module || !existsSync(join(dir, module))) {
        problems.push(`${name}: module ${module ?? "(none)"} for ${target} does not exist`);
        continue;
      }
      for (const match of readFileSync(join(dir, module), "utf8").matchAll(/\bt\(\s*"([\w.]+)"/g)) used.add(match[1]);
      for (const match of readFileSync(join(dir, module), "utf8").matchAll(/translate\(\s*"([\w.]+)"/g)) used.add(match[1]);
    }
  }

  const keysByLocale = new Map<string, Set<string>>();
  for (const locale of LOCALES) {
    const file = join(dir, "locales", locale);
    if (!existsSync(file)) {
      problems.push(`${name}: locales/${locale} is missing`);
      continue;
    }
    keysByLocale.set(locale, new Set(flatKeys(JSON.parse(readFileSync(file, "utf8")))));
  }
  for (const [locale, keys] of keysByLocale) {
    // A pluralised key ({ one, other }, as Shopify's i18n.translate takes with a count) is there when its forms are.
    const has = (key: string) => keys.has(key) || keys.has(`${key}.other`);
    for (const key of used) if (!has(key)) problems.push(`${name}: locales/${locale} has no "${key}"`);
    for (const [other, otherKeys] of keysByLocale) {
      if (other !== locale) for (const key of otherKeys) if (!keys.has(key)) problems.push(`${name}: locales/${locale} has no "${key}" (${other} has it)`);
    }
  }
  return problems;
}
