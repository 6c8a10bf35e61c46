import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildUiExtensions, findUiExtensions } from "../../scripts/build-ui-extensions";

/** A project with a theme extension and a customer-account UI extension, as another engineer would add one. */
function scratchProject(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "oscar-ui-build-"));
  // The project's node_modules, so preact and @shopify/ui-extensions resolve as they do in the app.
  symlinkSync(resolve("node_modules"), join(root, "node_modules"), "dir");
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const ORDER_STATUS_TOML = `api_version = "2026-07"
[[extensions]]
name = "Order status"
handle = "order-status-chat"
type = "ui_extension"
  [[extensions.targeting]]
  module = "./src/Block.tsx"
  target = "customer-account.order-status.block.render"
`;
const BLOCK = `/** @jsxImportSource preact */
import "@shopify/ui-extensions/preact";
import { render } from "preact";
export default async () => { render(<s-text>Hello</s-text>, document.body); };
`;

describe("scripts/build-ui-extensions.ts: every extension whose toml targets a module", () => {
  const roots: string[] = [];
  afterAll(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

  it("bundles a new extension found by its toml, Preact included, with its locales beside it, and leaves the theme extension alone", async () => {
    const root = scratchProject({
      "extensions/theme/shopify.extension.toml": 'name = "theme"\ntype = "theme"\n',
      "extensions/theme/blocks/x.liquid": "{% schema %}{}{% endschema %}",
      "extensions/order-status/shopify.extension.toml": ORDER_STATUS_TOML,
      "extensions/order-status/src/Block.tsx": BLOCK,
      "extensions/order-status/locales/en.default.json": '{"hello":"Hello"}',
    });
    roots.push(root);
    expect(findUiExtensions(root).map((e) => [e.name, e.handle, e.targets.map((t) => t.target)])).toEqual([
      ["order-status", "order-status-chat", ["customer-account.order-status.block.render"]],
    ]);
    const built = await buildUiExtensions({ root });
    expect(built.map((b) => b.file)).toEqual([join(root, "build/ui-extensions/order-status-chat/customer-account.order-status.block.render.js")]);
    const bundle = readFileSync(built[0]!.file, "utf8");
    // One self-contained module: no bare import left for a browser to resolve, and the default export kept.
    expect(bundle).not.toMatch(/\bfrom\s*["'](?:preact|@shopify)/);
    expect(bundle).toMatch(/export\s*\{[^}]*as default/);
    expect(existsSync(join(root, "build/ui-extensions/order-status-chat/locales/en.default.json"))).toBe(true);
    expect(existsSync(join(root, "build/ui-extensions/theme"))).toBe(false);
  });

  it("fails with the file and the error when a module does not compile", async () => {
    const root = scratchProject({
      "extensions/order-status/shopify.extension.toml": ORDER_STATUS_TOML,
      "extensions/order-status/src/Block.tsx": BLOCK.replace("<s-text>Hello</s-text>", "<s-text>Hello</s-txt>"),
    });
    roots.push(root);
    await expect(buildUiExtensions({ root })).rejects.toThrow(
      /^Building UI extension order-status-chat, customer-account\.order-status\.block\.render \(\.\/src\/Block\.tsx\) failed: .*Block\.tsx:4:\d+: ERROR: Expected closing "s-txt" tag to match opening "s-text" tag/s,
    );
  });
});
