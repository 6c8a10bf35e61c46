import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ORDER_COMMAND_KINDS } from "../app/models/order-commands.server";
import { ORDER_COMMAND_OPTIONAL_SCOPES, SCOPE_PURPOSE, SCOPES_FOR_COMMAND } from "../app/services/order-command-access";
import { declarationProblems, readAppToml, storefrontProxyCalls, type DeclarationFiles } from "./harness/declarations";
import { SHOPIFY_WEBHOOK_PATHS } from "./harness/shopify-webhooks";
import { FLOW_ACTIONS } from "../app/services/flow-actions.server";
import { FLOW_TRIGGER_HANDLES, FLOW_TRIGGER_NAMES, flowTriggerPayload, type FlowTriggerKind } from "../app/services/flow-triggers.server";
import { flowExtensionProblems, lifecycleCallbackProblems, payloadKeyOf, readFlowExtensions } from "./harness/flow-declarations";
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

describe("the order status block's toml declares what Shopify and the host need", () => {
  const scratch = mkdtempSync(join(tmpdir(), "oscar-ui-extensions-"));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  const ORDER_HELP = "extensions/order-help";

  /** A project root holding a copy of extensions/order-help with `edit` applied to one of its files. */
  function orderHelpCopy(name: string, file: string, edit: (text: string) => string): string {
    const root = join(scratch, name);
    cpSync(join(ROOT, ORDER_HELP), join(root, ORDER_HELP), { recursive: true });
    const path = join(root, ORDER_HELP, file);
    const original = readFileSync(path, "utf8");
    const edited = edit(original);
    expect(edited).not.toBe(original); // the edit really happened
    writeFileSync(path, edited);
    return root;
  }

  it("finds the order status block and has nothing to say about the real files", () => {
    expect(findUiExtensions(ROOT).map((extension) => extension.name)).toContain("order-help");
    expect(publishedTargets().has("customer-account.order-status.block.render")).toBe(true);
    expect(uiExtensionProblems(ROOT)).toEqual([]);
  });

  it("fails on a target Shopify does not have, a module that is not there and a key one locale lacks", () => {
    const target = orderHelpCopy("target", "shopify.extension.toml", (toml) => toml.replace("customer-account.order-status.block.render", "customer-account.order-status.block.rendr"));
    expect(uiExtensionProblems(target)).toEqual([`${ORDER_HELP}: target customer-account.order-status.block.rendr is not one @shopify/ui-extensions declares`]);

    const moduleMissing = orderHelpCopy("module", "shopify.extension.toml", (toml) => toml.replace("./src/OrderHelpBlock.tsx", "./src/HelpBlock.tsx"));
    expect(uiExtensionProblems(moduleMissing)).toEqual([`${ORDER_HELP}: module ./src/HelpBlock.tsx for customer-account.order-status.block.render does not exist`]);

    const french = orderHelpCopy("locale", "locales/fr.json", (json) => json.replace(/\n {2}"signIn": "[^"]*",/, ""));
    expect(uiExtensionProblems(french)).toEqual([`${ORDER_HELP}: locales/fr.json lacks "signIn"`]);
  });
});

describe("the Shopify Flow extensions are what Shopify CLI accepts and what the app serves", () => {
  const extensionsDir = join(ROOT, "extensions");
  const real = { extensionsDir, appToml: REAL.toml, appDir: REAL.appDir };
  const scratch = mkdtempSync(join(tmpdir(), "oscar-flow-declarations-"));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  /** A copy of extensions/ with one file edited (or removed when `edit` answers null). */
  function extensionsCopy(name: string, file: string, edit: (text: string) => string | null) {
    const dir = join(scratch, name);
    cpSync(extensionsDir, dir, { recursive: true });
    const path = join(dir, file);
    const edited = edit(readFileSync(path, "utf8"));
    if (edited === null) rmSync(path);
    else writeFileSync(path, edited);
    return { ...real, extensionsDir: dir };
  }

  it("finds no problem in the real extensions, and the app's handles and fields are the declared ones", () => {
    expect(flowExtensionProblems(real)).toEqual([]);
    const extensions = readFlowExtensions(extensionsDir);
    expect(extensions.filter((e) => e.type === "flow_trigger").map((e) => e.handle).sort()).toEqual(Object.values(FLOW_TRIGGER_HANDLES).sort());
    expect(extensions.filter((e) => e.type === "flow_action").map((e) => e.handle).sort()).toEqual([...FLOW_ACTIONS].sort());
    // Every trigger carries the same fields, which flowTriggerPayload fills; every action reads customer_id and message.
    const payloadKeys = Object.keys(flowTriggerPayload({ conversationId: "c", customerId: "1", orderId: "2", reason: "r" })).sort();
    for (const trigger of extensions.filter((e) => e.type === "flow_trigger")) expect(trigger.fields.map(payloadKeyOf).sort()).toEqual(payloadKeys);
    for (const action of extensions.filter((e) => e.type === "flow_action")) expect(action.fields.map(payloadKeyOf).sort()).toEqual(["customer_id", "message"]);
    // The names the app reads a lifecycle callback's trigger id by are the declared ones.
    const names = Object.fromEntries(extensions.filter((e) => e.type === "flow_trigger").map((e) => [e.handle, e.toml.extensions?.[0]?.name]));
    for (const kind of Object.keys(FLOW_TRIGGER_HANDLES) as FlowTriggerKind[]) expect(names[FLOW_TRIGGER_HANDLES[kind]]).toBe(FLOW_TRIGGER_NAMES[kind]);
  });

  it("declares the trigger lifecycle callback at a URL a route serves, and misses it when it is gone or unserved", () => {
    expect(lifecycleCallbackProblems(real)).toEqual([]);
    const gone = extensionsCopy("no-lifecycle", "flow-trigger-usage/shopify.extension.toml", () => null);
    expect(lifecycleCallbackProblems(gone)).toEqual(["no flow_trigger_lifecycle_callback: the app would never learn that a workflow uses its triggers"]);
    const unserved = extensionsCopy("lifecycle-unserved", "flow-trigger-usage/shopify.extension.toml", (toml) => toml.replace('url = "/flow/trigger-lifecycle"', 'url = "/flow/lifecycle"'));
    expect(lifecycleCallbackProblems(unserved)).toEqual(["flow-trigger-usage: url /flow/lifecycle reaches /flow/lifecycle, which no route with an action serves"]);
  });

  it("fails on a trigger field key Flow refuses and a field type triggers do not support", () => {
    const files = extensionsCopy("bad-trigger", "urgent-conversation/shopify.extension.toml", (toml) =>
      toml.replace('key = "Conversation ID"', 'key = "conversation_id"').replace('type = "url"', 'type = "number_integer"'),
    );
    expect(flowExtensionProblems(files).sort()).toEqual([
      "urgent-conversation: field[2]: type number_integer is not supported on Flow triggers",
      "urgent-conversation: field[3]: key conversation_id must contain only letters and spaces",
      // The renamed key also leaves both translations naming the old one.
      "urgent-conversation: the en texts miss the field conversation_id",
      "urgent-conversation: the en texts name fields the toml does not declare: Conversation ID",
      "urgent-conversation: the fr texts miss the field conversation_id",
      "urgent-conversation: the fr texts name fields the toml does not declare: Conversation ID",
    ]);
  });

  it("fails on an action whose runtime_url no route serves, or whose return type is not in its schema", () => {
    const unserved = extensionsCopy("unserved", "send-chat-message/shopify.extension.toml", (toml) => toml.replace("/flow/actions/send-chat-message", "/flow/actions/send-message"));
    expect(flowExtensionProblems(unserved)).toEqual(["send-chat-message: runtime_url /flow/actions/send-message reaches /flow/actions/send-message, which no route with an action serves"]);
    const badType = extensionsCopy("bad-type", "post-private-note/shopify.extension.toml", (toml) => toml.replace('return_type_ref = "ChatActionResult"', 'return_type_ref = "Result"'));
    expect(flowExtensionProblems(badType)).toEqual(["post-private-note: return_type_ref Result is not a type in ./schema.graphql"]);
  });

  it("fails when a French translation is missing, or misses a field", () => {
    const noFrench = extensionsCopy("no-french", "conversation-resolved/locales/fr.json", () => null);
    expect(flowExtensionProblems(noFrench)).toEqual(["conversation-resolved: locales/fr.json is missing"]);
    const missingField = extensionsCopy("missing-field", "vip-customer-chatting/locales/fr.json", (json) => {
      const texts = JSON.parse(json) as { fields: Record<string, unknown> };
      delete texts.fields.Reason;
      return JSON.stringify(texts);
    });
    expect(flowExtensionProblems(missingField)).toEqual(["vip-customer-chatting: the fr texts miss the field Reason"]);
  });
});

describe("the UI extensions are typechecked", () => {
  it("has each UI extension typechecked on its own by npm run typecheck (their JSX types differ by surface)", () => {
    const typecheck = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts.typecheck;
    const names = [...new Set(findUiExtensions(ROOT).map((extension) => extension.name))];
    expect(names.length).toBeGreaterThanOrEqual(2);
    for (const name of names) {
      expect(readFileSync(join(ROOT, "extensions", name, "tsconfig.json"), "utf8")).toContain('"extends": "../../tsconfig.json"');
      expect(typecheck).toContain(`tsc --noEmit -p extensions/${name}`);
    }
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
