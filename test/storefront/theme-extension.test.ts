import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { extensionSchemaProblems } from "./extension-schema";
import { EXTENSION_DIR } from "./liquid";
import { extensionFiles, runThemeCheck } from "./theme-check";

const scratch: string[] = [];
afterAll(() => scratch.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A copy of the extension to break on purpose. */
function copyOfExtension(): string {
  const dir = mkdtempSync(join(tmpdir(), "oscar-chat-extension-"));
  scratch.push(dir);
  cpSync(EXTENSION_DIR, dir, { recursive: true });
  return dir;
}

function keysOf(tree: unknown, prefix = ""): string[] {
  if (!tree || typeof tree !== "object") return [prefix];
  return Object.entries(tree).flatMap(([key, value]) => keysOf(value, prefix ? `${prefix}.${key}` : key)).sort();
}

const readJson = (file: string) => JSON.parse(readFileSync(join(EXTENSION_DIR, file), "utf8")) as unknown;

describe("the theme app extension as Shopify will check it", () => {
  it("passes Shopify's theme check for app extensions without a single offense", async () => {
    expect(extensionFiles(EXTENSION_DIR)).toEqual(expect.arrayContaining(["blocks/oscar-chat-embed.liquid", "blocks/ask-about-product.liquid", "assets/oscar-chat.js"]));
    expect(await runThemeCheck(EXTENSION_DIR)).toEqual([]);
  });

  it("would be caught by theme check with a render-blocking script, a missing translation or an unknown filter", async () => {
    const broken = copyOfExtension();
    writeFileSync(
      join(broken, "blocks", "broken.liquid"),
      `<script src="{{ 'oscar-chat.js' | asset_url }}"></script>\n{{ 'nope.missing' | t }}\n{{ product.title | shout }}\n{% schema %}{ "name": "Broken", "target": "section" }{% endschema %}\n`,
    );
    const checks = (await runThemeCheck(broken)).filter((o) => o.severity === 0).map((o) => o.check);
    expect(checks).toEqual(expect.arrayContaining(["ParserBlockingScript", "TranslationKeyExists", "UnknownFilter"]));
  });

  it("uses only targets Shopify accepts and never reuses a setting id across blocks", () => {
    expect(extensionSchemaProblems(EXTENSION_DIR)).toEqual([]);
  });

  it("would report a bad target and a setting id used twice, which theme check lets through", async () => {
    const broken = copyOfExtension();
    writeFileSync(
      join(broken, "blocks", "footer-badge.liquid"),
      `<p>badge</p>\n{% schema %}{ "name": "Badge", "target": "footer", "settings": [` +
        `{ "type": "text", "id": "widget_id", "label": "Widget" }, { "type": "text", "id": "badge_text", "label": "Text" }, { "type": "text", "id": "badge_text", "label": "Again" }` +
        `] }{% endschema %}\n`,
    );
    expect(extensionSchemaProblems(broken)).toEqual([
      'footer-badge.liquid: target "footer" is not one of section, head, body, compliance_head',
      'footer-badge.liquid: setting id "badge_text" is already used in footer-badge.liquid',
      'oscar-chat-embed.liquid: setting id "widget_id" is already used in footer-badge.liquid',
    ]);
    const checkerSaw = (await runThemeCheck(broken)).filter((o) => o.file === "footer-badge.liquid" && o.severity === 0);
    expect(checkerSaw).toEqual([]);
  });

  it("has every shopper-facing string and setting label in French as well as English", () => {
    expect(keysOf(readJson("locales/fr.json"))).toEqual(keysOf(readJson("locales/en.default.json")));
    expect(keysOf(readJson("locales/fr.schema.json"))).toEqual(keysOf(readJson("locales/en.default.schema.json")));
  });

  it("keeps shopper-facing strings safe in an HTML attribute whether or not Shopify escapes them", () => {
    const strings = [readJson("locales/en.default.json"), readJson("locales/fr.json")].flatMap(function collect(tree: unknown): string[] {
      return typeof tree === "string" ? [tree] : Object.values(tree as object).flatMap(collect);
    });
    expect(strings.length).toBeGreaterThan(10);
    for (const text of strings) expect(text, text).not.toMatch(/["<>&]/);
  });

  it("ships a script and a stylesheet under 2 KB each once gzipped", () => {
    for (const asset of ["oscar-chat.js", "oscar-order-help.js", "oscar-chat.css"]) {
      const gzipped = gzipSync(readFileSync(join(EXTENSION_DIR, "assets", asset))).length;
      expect(gzipped, asset).toBeLessThan(2048);
    }
  });
});
