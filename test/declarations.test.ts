import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { declarationProblems, readAppToml, storefrontProxyCalls, type DeclarationFiles } from "./harness/declarations";
import { SHOPIFY_WEBHOOK_PATHS } from "./harness/shopify-webhooks";
import { packageApiVersion, publishedTargets, uiExtensionProblems } from "./harness/ui-extension-declarations";
import { findUiExtensions } from "../scripts/build-ui-extensions";

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

describe("the UI extensions' shopify.extension.toml files", () => {
  const scratch = mkdtempSync(join(tmpdir(), "oscar-ui-extensions-"));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  const ADMIN = "extensions/oscar-admin-conversations";

  /** A project root holding a copy of the admin extension with `edit` applied to it. */
  function copyWith(name: string, edit: (dir: string) => void): string {
    const root = join(scratch, name);
    cpSync(join(ROOT, ADMIN), join(root, ADMIN), { recursive: true });
    edit(join(root, ADMIN));
    return root;
  }

  it("finds the admin extension's three targets, each with a module, and no problems in the real files", () => {
    expect(findUiExtensions(ROOT).find((e) => e.handle === "oscar-admin-conversations")?.targets).toEqual([
      { target: "admin.customer-details.block.render", module: "./src/CustomerBlock.tsx" },
      { target: "admin.order-details.block.render", module: "./src/OrderBlock.tsx" },
      { target: "admin.customer-details.action.render", module: "./src/MessageCustomerAction.tsx" },
    ]);
    // The theme app extension has no targeting: the builder and these checks leave it alone.
    expect(findUiExtensions(ROOT).map((e) => e.name)).not.toContain("oscar-chat");
    expect(uiExtensionProblems(ROOT)).toEqual([]);
  });

  it("knows Shopify's targets from the published package, and the API version it was published for", () => {
    const targets = publishedTargets();
    expect(targets.has("admin.customer-details.block.render")).toBe(true);
    expect(targets.has("customer-account.order-status.block.render")).toBe(true);
    expect(targets.has("admin.customer-details.sidebar.render")).toBe(false);
    expect(packageApiVersion()).toBe("2026-07");
  });

  it("fails on a target Shopify does not have, a missing module and an API version outside the package's range", () => {
    const root = copyWith("bad-toml", (dir) => {
      const toml = join(dir, "shopify.extension.toml");
      writeFileSync(
        toml,
        readFileSync(toml, "utf8")
          .replace('api_version = "2026-07"', 'api_version = "2026-10"')
          .replace('target = "admin.order-details.block.render"', 'target = "admin.order-details.sidebar.render"')
          .replace('module = "./src/MessageCustomerAction.tsx"', 'module = "./src/MessageAction.tsx"'),
      );
    });
    expect(uiExtensionProblems(root)).toEqual([
      `${ADMIN}: api_version 2026-10 is newer than the installed @shopify/ui-extensions (2026-07)`,
      `${ADMIN}: target admin.order-details.sidebar.render is not one @shopify/ui-extensions declares`,
      `${ADMIN}: module ./src/MessageAction.tsx for admin.customer-details.action.render does not exist`,
    ]);
  });

  it("fails when the French locale lacks a key, or a module translates a key English lacks", () => {
    const root = copyWith("bad-locales", (dir) => {
      const fr = join(dir, "locales/fr.json");
      const french = JSON.parse(readFileSync(fr, "utf8"));
      delete french.customer.empty;
      writeFileSync(fr, JSON.stringify(french));
      appendFileSync(join(dir, "src/OrderBlock.tsx"), '\nexport const extra = (t: (k: string) => string) => t("order.refunded");\n');
    });
    expect(uiExtensionProblems(root)).toEqual([
      `${ADMIN}: locales/fr.json lacks "customer.empty"`,
      `${ADMIN}/src/OrderBlock.tsx: translates "order.refunded", which en.default.json lacks`,
    ]);
  });
});
