import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { UNSAFE_flatRoutes as flatRoutes } from "@remix-run/dev";
import { parse } from "smol-toml";

/**
 * Checks that what shopify.app.toml declares and what the app serves agree: every storefront path the
 * theme extension calls is under the declared app proxy and reaches a route with a loader; every
 * subscribed webhook topic has a route with an action; every Shopify webhook route has a subscription.
 * Answers one sentence per disagreement (none when all is well).
 */

export type DeclarationFiles = { toml: string; extensionDir: string; appDir: string };

type AppToml = {
  application_url?: string;
  app_proxy?: { url?: string; prefix?: string; subpath?: string };
  webhooks?: { subscriptions?: { topics?: string[]; compliance_topics?: string[]; uri?: string }[] };
};

type ServedRoute = { path: string; file: string; source: string };

// Shopify's app proxy prefixes (shopify.dev/docs/apps/build/online-store/app-proxies): /apps, /a, /community, /tools.
const STOREFRONT_PROXY_PATH = /(?:["'`]|\}\})(\/(?:apps|a|community|tools)\/[A-Za-z0-9._~-]+(?:\/[A-Za-z0-9._~-]*)*)/g;
// Oscar's webhooks, not Shopify's: they are registered with Oscar at runtime, never in the toml.
const NOT_SHOPIFY_WEBHOOKS = /^\/webhooks\/oscar\//;

export function readAppToml(path: string): AppToml {
  return parse(readFileSync(path, "utf8")) as AppToml;
}

/** The app's routes as Remix resolves them (its own flat-routes convention), with each file's source. */
export function servedRoutes(appDir: string): ServedRoute[] {
  const manifest = flatRoutes(appDir, ["**/*.test.ts", "**/*.test.tsx"], "routes");
  const fullPath = (id: string): string => {
    const route = manifest[id];
    if (!route) return "";
    const parent = route.parentId && route.parentId !== "root" ? fullPath(route.parentId) : "";
    return route.path ? `${parent}/${route.path}` : parent;
  };
  return Object.values(manifest).map((route) => ({
    path: fullPath(route.id) || "/",
    file: route.file,
    source: readFileSync(join(appDir, route.file), "utf8"),
  }));
}

/** Whether a Remix path pattern (":param" one segment, "*" the rest) matches a concrete path. */
function matches(pattern: string, path: string): boolean {
  const want = pattern.split("/").filter(Boolean);
  const got = path.split("/").filter(Boolean);
  for (let i = 0; i < want.length; i++) {
    if (want[i] === "*") return true;
    if (got[i] === undefined || (!want[i]!.startsWith(":") && want[i] !== got[i])) return false;
  }
  return want.length === got.length;
}

// Named exports only: a route that exports `loader`/`action` (directly or re-exported) handles that method.
const exportsHandler = (source: string, name: "loader" | "action") =>
  new RegExp(`export\\s+(?:const|let|async\\s+function|function)\\s+${name}\\b|export\\s*\\{[^}]*\\b${name}\\b[^}]*\\}`).test(source);

function routeFor(routes: ServedRoute[], path: string, method: "loader" | "action") {
  return routes.find((route) => matches(route.path, path) && exportsHandler(route.source, method));
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Every app proxy path the extension's Liquid and JavaScript name, with the file that names it. */
export function storefrontProxyCalls(extensionDir: string): { path: string; file: string }[] {
  return filesUnder(extensionDir)
    .filter((file) => /\.(liquid|js)$/.test(file))
    .flatMap((file) => [...readFileSync(file, "utf8").matchAll(STOREFRONT_PROXY_PATH)].map((m) => ({ path: m[1]!, file: relative(extensionDir, file) })));
}

/** The app path Shopify forwards a storefront path to, or why it forwards none. */
function proxiedAppPath(toml: AppToml, storefrontPath: string): string | { problem: string } {
  const proxy = toml.app_proxy;
  if (!proxy?.url || !proxy.prefix || !proxy.subpath) return { problem: "shopify.app.toml declares no [app_proxy] with url, prefix and subpath" };
  const root = `/${proxy.prefix}/${proxy.subpath}`;
  if (storefrontPath !== root && !storefrontPath.startsWith(`${root}/`)) return { problem: `the app proxy serves ${root}, not this path` };
  // A relative proxy url is resolved against application_url, like the CLI's own relative URLs.
  const base = new URL(proxy.url, toml.application_url);
  if (toml.application_url && base.origin !== new URL(toml.application_url).origin) return { problem: `the proxy url ${proxy.url} is not on application_url` };
  return `${base.pathname.replace(/\/$/, "")}${storefrontPath.slice(root.length)}`;
}

export function declarationProblems(files: DeclarationFiles): string[] {
  const toml = readAppToml(files.toml);
  const routes = servedRoutes(files.appDir);
  const problems: string[] = [];

  for (const call of storefrontProxyCalls(files.extensionDir)) {
    const appPath = proxiedAppPath(toml, call.path);
    if (typeof appPath !== "string") problems.push(`${call.file} calls ${call.path}, but ${appPath.problem}`);
    else if (!routeFor(routes, appPath, "loader")) problems.push(`${call.file} calls ${call.path}, proxied to ${appPath}, which no route with a loader serves`);
  }

  const subscribedUris = new Set<string>();
  for (const subscription of toml.webhooks?.subscriptions ?? []) {
    const topics = [...(subscription.topics ?? []), ...(subscription.compliance_topics ?? [])].join(", ");
    if (!subscription.uri) {
      problems.push(`the subscription to ${topics} has no uri`);
      continue;
    }
    const uri = new URL(subscription.uri, toml.application_url);
    subscribedUris.add(uri.pathname);
    if (!routeFor(routes, uri.pathname, "action")) problems.push(`${topics} is delivered to ${uri.pathname}, which no route with an action serves`);
  }

  for (const route of routes) {
    if (!route.path.startsWith("/webhooks/") || NOT_SHOPIFY_WEBHOOKS.test(route.path)) continue;
    if (![...subscribedUris].some((uri) => matches(route.path, uri))) problems.push(`${route.file} serves ${route.path}, but no webhook subscription in shopify.app.toml delivers there`);
  }
  return problems;
}
