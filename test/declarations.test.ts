import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ORDER_COMMAND_KINDS } from "../app/models/order-commands.server";
import { ORDER_COMMAND_OPTIONAL_SCOPES, SCOPE_PURPOSE, SCOPES_FOR_COMMAND } from "../app/services/order-command-access";
import { declarationProblems, readAppToml, storefrontProxyCalls, type DeclarationFiles } from "./harness/declarations";
import { SHOPIFY_WEBHOOK_PATHS } from "./harness/shopify-webhooks";
import { knownUiExtensionTargets, uiExtensionDirs, uiExtensionProblems } from "./harness/ui-extensions";

const ROOT = join(import.meta.dirname, "..");
const REAL: DeclarationFiles = { toml: join(ROOT, "shopify.app.toml"), extensionDir: join(ROOT, "extensions/oscar-chat"), appDir: join(ROOT, "app") };

describe("shopify.app.toml declares what the storefront and Shopify reach", () => {
  const scratch = mkdtempSync(join(tmpdir(), "oscar-declarations-"));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  /** A copy of the toml with `edit` applied; the extension and app stay the real ones. */
  function tomlCopy(name: string, edit: (toml: string) => string): DeclarationFiles {
    const path = join(scratch, `${name}.toml`);
    const original = readFileSync(REAL.toml, "utf8");
    const edited = edit(original);
    expect(edited).not.toBe(original); // the edit really happened
    writeFileSync(path, edited);
    return { ...REAL, toml: path };
  }

  it("agrees on the real files: the embed's identity call is proxied to a route, every topic and route pair up", () => {
    expect(storefrontProxyCalls(REAL.extensionDir).map((call) => call.path)).toContain("/apps/oscar-chat/identity");
    expect(declarationProblems(REAL)).toEqual([]);
  });

  it("declares the proxy the embed uses, and the scope Shopify requires for it", () => {
    const toml = readAppToml(REAL.toml) as { app_proxy?: unknown; access_scopes?: { scopes?: string } };
    expect(toml.app_proxy).toEqual({ url: "https://example.com/proxy", prefix: "apps", subpath: "oscar-chat" });
    expect(toml.access_scopes?.scopes?.split(",")).toContain("write_app_proxy");
  });

  it("declares every scope an order command needs as optional, none of them required, and says why in the README", () => {
    const toml = readAppToml(REAL.toml) as { access_scopes?: { scopes?: string; optional_scopes?: unknown } };
    const required = toml.access_scopes?.scopes?.split(",") ?? [];
    // The CLI's app-access schema: optional_scopes is an array of scope handles.
    expect(toml.access_scopes?.optional_scopes).toEqual(["write_orders", "write_discounts", "write_merchant_managed_fulfillment_orders"]);
    expect(toml.access_scopes?.optional_scopes).toEqual([...ORDER_COMMAND_OPTIONAL_SCOPES]);
    // Asked for at install, an order command's scope would reach every shop, with every command off.
    for (const scope of ORDER_COMMAND_OPTIONAL_SCOPES) expect(required).not.toContain(scope);
    // No write access at install at all beyond the app proxy Shopify requires.
    expect(required.filter((scope) => scope.startsWith("write_"))).toEqual(["write_app_proxy"]);
    // Each command needs a declared scope, each declared scope is needed by a command.
    expect(Object.keys(SCOPES_FOR_COMMAND).sort()).toEqual([...ORDER_COMMAND_KINDS].sort());
    expect([...new Set(Object.values(SCOPES_FOR_COMMAND).flat())].sort()).toEqual([...ORDER_COMMAND_OPTIONAL_SCOPES].sort());
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    for (const scope of ORDER_COMMAND_OPTIONAL_SCOPES) {
      expect(SCOPE_PURPOSE[scope]).toBeTruthy();
      expect(readme).toContain(`\`${scope}\``);
    }
  });

  it("fails on a copy of the toml without the [app_proxy] section", () => {
    const files = tomlCopy("no-proxy", (toml) => toml.replace(/\n\[app_proxy\][^[]*/, "\n"));
    const problems = declarationProblems(files);
    expect(problems).toContain("blocks/oscar-chat-embed.liquid calls /apps/oscar-chat/identity, but shopify.app.toml declares no [app_proxy] with url, prefix and subpath");
    for (const problem of problems) expect(problem).toMatch(/declares no \[app_proxy\]/);
  });

  it("fails when the proxy forwards to a path the app does not serve", () => {
    const files = tomlCopy("wrong-url", (toml) => toml.replace('url = "https://example.com/proxy"', 'url = "https://example.com/storefront"'));
    expect(declarationProblems(files)).toContain(
      "blocks/oscar-chat-embed.liquid calls /apps/oscar-chat/identity, proxied to /storefront/identity, which no route with a loader serves",
    );
  });

  it("fails on an extension calling a path under the proxy that no route serves, or outside the proxy", () => {
    const extensionDir = join(scratch, "extension");
    cpSync(REAL.extensionDir, extensionDir, { recursive: true });
    appendFileSync(join(extensionDir, "assets/oscar-chat.js"), '\nfetch("/apps/oscar-chat/orders");\nfetch("/apps/other-app/identity");\n');
    expect(declarationProblems({ ...REAL, extensionDir }).sort()).toEqual([
      "assets/oscar-chat.js calls /apps/oscar-chat/orders, proxied to /proxy/orders, which no route with a loader serves",
      "assets/oscar-chat.js calls /apps/other-app/identity, but the app proxy serves /apps/oscar-chat, not this path",
    ].sort());
  });

  it("fails when a subscribed topic has no route, and when a webhook route has no subscription", () => {
    const files = tomlCopy("topics", (toml) =>
      toml
        .replace('uri = "/webhooks/orders/updated"', 'uri = "/webhooks/orders/edited"')
        .replace(/\n {2}# handled by app\/routes\/webhooks\.products\.delete\.tsx\n[^\n]*\n[^\n]*\n[^\n]*\n/, "\n"),
    );
    expect(declarationProblems(files).sort()).toEqual([
      "orders/updated is delivered to /webhooks/orders/edited, which no route with an action serves",
      "routes/webhooks.orders.updated.tsx serves /webhooks/orders/updated, but no webhook subscription in shopify.app.toml delivers there",
      "routes/webhooks.products.delete.tsx serves /webhooks/products/delete, but no webhook subscription in shopify.app.toml delivers there",
    ]);
  });

  it("the test harness delivers each topic where the toml subscribes it", () => {
    const toml = readAppToml(REAL.toml);
    const declared = Object.fromEntries(
      (toml.webhooks?.subscriptions ?? []).flatMap((s) => [...(s.topics ?? []), ...(s.compliance_topics ?? [])].map((topic) => [topic, s.uri])),
    );
    expect(SHOPIFY_WEBHOOK_PATHS).toEqual(declared);
  });
});

describe("the UI extensions' tomls declare what Shopify and the host need", () => {
  const extensionsDir = join(ROOT, "extensions");
  const scratch = mkdtempSync(join(tmpdir(), "oscar-ui-extensions-"));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  /** A copy of extensions/order-help with `edit` applied to one of its files. */
  function orderHelpCopy(name: string, file: string, edit: (text: string) => string): string {
    const dir = join(scratch, name);
    cpSync(join(extensionsDir, "order-help"), dir, { recursive: true });
    const original = readFileSync(join(dir, file), "utf8");
    const edited = edit(original);
    expect(edited).not.toBe(original); // the edit really happened
    writeFileSync(join(dir, file), edited);
    return dir;
  }

  it("finds the order status block and has nothing to say about the real files", () => {
    const dirs = uiExtensionDirs(extensionsDir);
    expect(dirs.map((dir) => dir.slice(extensionsDir.length + 1))).toContain("order-help");
    expect(knownUiExtensionTargets().has("customer-account.order-status.block.render")).toBe(true);
    expect(dirs.flatMap((dir) => uiExtensionProblems(dir))).toEqual([]);
  });

  it("fails on a target Shopify does not have, a module that is not there and a key one locale lacks", () => {
    const target = orderHelpCopy("target", "shopify.extension.toml", (toml) => toml.replace("customer-account.order-status.block.render", "customer-account.order-status.block.rendr"));
    expect(uiExtensionProblems(target)).toEqual(["target: target customer-account.order-status.block.rendr is not one @shopify/ui-extensions declares"]);

    const moduleMissing = orderHelpCopy("module", "shopify.extension.toml", (toml) => toml.replace("./src/OrderHelpBlock.tsx", "./src/HelpBlock.tsx"));
    expect(uiExtensionProblems(moduleMissing)).toEqual(["module: module ./src/HelpBlock.tsx for customer-account.order-status.block.render does not exist"]);

    const french = orderHelpCopy("locale", "locales/fr.json", (json) => json.replace(/\n {2}"signIn": "[^"]*",/, ""));
    expect(uiExtensionProblems(french).sort()).toEqual(['locale: locales/fr.json has no "signIn"', 'locale: locales/fr.json has no "signIn" (en.default.json has it)'].sort());
  });
});
