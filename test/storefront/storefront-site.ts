// A storefront-like site on loopback: home, collection and product pages of a small clothing store, with
// the extension's blocks rendered from their real Liquid and its assets served the way Shopify's CDN
// would (gzip, deferred block scripts). The app proxy's identity answer is a stand-in, or, given the
// app, the real route reached as Shopify's app proxy reaches it (signed, naming the logged-in customer).
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { signAppProxyParams } from "../harness/app-proxy-signature";
import { blockScriptTags, DEFAULT_ASSET_BASE, EXTENSION_DIR, renderBlock, type BlockName, type StorefrontContext } from "./liquid";

export const WIDGET_ID = "maple-and-thread-chat";
export const HELP_FLOW_ID = "where-is-my-order";
/** A title with everything that must survive escaping: quotes, angle brackets, ampersand, "$&". */
export const PRODUCT = { id: 8_100_000_001, handle: "merino-crew-sweater", title: `Merino "Fjord" Crew <Limited> & Co's $& edition`, price: "$129.00" };
export const CUSTOMER = { id: 7_400_000_000_001, email: "maya.okafor@example.com", first_name: "Maya", last_name: "Okafor", name: "Maya Okafor" };
/** Who a page with `?customer=1` is logged in as (Liquid's `customer`). */
export type StorefrontCustomer = typeof CUSTOMER;
/** The app behind /apps/oscar-chat, as `[app_proxy]` in shopify.app.toml declares it: prefix "apps", subpath "oscar-chat", url <app>/proxy. */
export type AppProxyTarget = { appUrl: string; shop: string; apiSecret: string };
const APP_PROXY_PREFIX = "/apps/oscar-chat";
/** What the stand-in app proxy answers for the logged-in customer (the real one is app/routes/proxy.identity.tsx). */
export const IDENTITY = {
  user_id: String(CUSTOMER.id),
  email: CUSTOMER.email,
  name: CUSTOMER.name,
  oscar_identity: "v1.stand-in.signature",
};
/** What the embed sends to clear an identity a previous customer left (the widget has no reset). */
export const NO_IDENTITY = { user_id: "", email: "", name: "", oscar_identity: "" };
/** The app signs for 30 minutes (IDENTITY_TTL_SECONDS). */
const IDENTITY_TTL_SECONDS = 30 * 60;
const CART_ITEM_COUNT = 2;

export type PageKind = "home" | "collection" | "product";

/** How a page is served; each option is also a query parameter of the page's URL. */
export type PageOptions = {
  /** Whether the Oscar Chat app embed is on (default on). */
  embed?: boolean;
  immediate?: boolean;
  loggedIn?: boolean;
  /** Milliseconds one image takes, to hold the page's load event open. */
  slowImageMs?: number;
  /** Theme code calling OscarChat during page load, before any loader can have arrived. */
  earlyCalls?: boolean;
  locale?: "en" | "fr";
};

export type Storefront = {
  url: string;
  pageUrl(kind: PageKind, options?: PageOptions): string;
  /** How many times the identity endpoint was asked, by logged-in shoppers and visitors alike. */
  identityRequests(): number;
  close(): Promise<void>;
};

const PATHS: Record<PageKind, string> = { home: "/", collection: "/collections/all", product: `/products/${PRODUCT.handle}` };

const COLORS = ["#c9b79c", "#8c6e54", "#5b7065", "#d5c4a1", "#a3b5c7", "#7a5c61", "#b8a07e", "#667f8a"];
const CATALOGUE = [
  "Merino Crew Sweater", "Linen Pocket Tee", "Cashmere Cardigan", "Organic Cotton Tee", "Lambswool Roll-Neck",
  "Hiking Socks", "Slub Cotton Long-Sleeve", "Bamboo Everyday Socks",
].map((title, i) => ({ title, handle: title.toLowerCase().replace(/[^a-z0-9]+/g, "-"), price: `$${39 + i * 12}.00`, color: COLORS[i] }));

function productImage(label: string, color: string, width: number, height: number): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">
<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${color}"/><stop offset="1" stop-color="#f4efe6"/></linearGradient></defs>
<rect width="100%" height="100%" fill="url(#g)"/><path d="M${width * 0.3} ${height * 0.25}h${width * 0.4}l${width * 0.12} ${height * 0.2}-${width * 0.1} ${height * 0.05}v${height * 0.35}h-${width * 0.44}v-${height * 0.35}l-${width * 0.1}-${height * 0.05}z" fill="#fff" opacity=".55"/>
<text x="50%" y="92%" text-anchor="middle" font-family="Georgia,serif" font-size="${Math.round(width / 18)}" fill="#3b3024">${label}</text></svg>`;
}

// A theme stylesheet in the spirit of Dawn: enough rules that the page has something to style.
const THEME_CSS = `:root{--page:1200px;--ink:#1d1a16;--muted:#6b625a;--line:#e6e0d8;--accent:#3b3024}
*{box-sizing:border-box}body{margin:0;font:16px/1.6 Georgia,"Times New Roman",serif;color:var(--ink);background:#fbf8f3}
a{color:inherit}img{max-width:100%;height:auto;display:block}
.announcement{background:var(--accent);color:#fff;text-align:center;font:13px/2.4 system-ui,sans-serif;letter-spacing:.06em}
.header{display:flex;align-items:center;justify-content:space-between;max-width:var(--page);margin:0 auto;padding:20px 24px;border-bottom:1px solid var(--line)}
.header__logo{font-size:26px;letter-spacing:.08em;text-decoration:none}.header nav a{margin-left:22px;font:15px system-ui,sans-serif;text-decoration:none}
.page{max-width:var(--page);margin:0 auto;padding:32px 24px}
.hero{position:relative}.hero__text{position:absolute;left:48px;bottom:48px;max-width:460px;color:#fff;text-shadow:0 1px 12px rgba(0,0,0,.35)}
.hero__text h1{font-size:52px;line-height:1.1;margin:0 0 12px}
.button{display:inline-flex;align-items:center;justify-content:center;min-height:46px;padding:0 28px;border:1px solid var(--accent);background:var(--accent);color:#fff;font:15px system-ui,sans-serif;letter-spacing:.04em;cursor:pointer}
.button--secondary{background:transparent;color:var(--accent)}.button--full{width:100%}
.grid{display:grid;grid-template-columns:repeat(4,1fr);gap:24px;margin-top:32px}
.card__title{font-size:17px;margin:12px 0 2px}.card__price{color:var(--muted);font:15px system-ui,sans-serif}
.product{display:grid;grid-template-columns:3fr 2fr;gap:48px}.product h1{font-size:36px;line-height:1.2;margin:0 0 8px}
.product__price{font:22px system-ui,sans-serif;margin-bottom:24px}.product__info > * + *{margin-top:16px}
.variants{display:flex;gap:8px}.variants span{border:1px solid var(--line);padding:8px 14px;font:14px system-ui,sans-serif}
.footer{margin-top:64px;padding:48px 24px;border-top:1px solid var(--line);color:var(--muted);font:14px system-ui,sans-serif;text-align:center}
@media (max-width:749px){.grid{grid-template-columns:repeat(2,1fr)}.product{grid-template-columns:1fr}.hero__text{left:20px;bottom:20px}.hero__text h1{font-size:34px}}`;

// Theme code of the usual kind: a variant picker wired up after parsing, plus `workMs` of main-thread
// work standing for the rest of a theme's start-up (sliders, cart drawer, analytics).
function themeScript(workMs: number): string {
  return `document.addEventListener("DOMContentLoaded",function(){${busyWork(workMs)}
document.querySelectorAll(".variants span").forEach(function(v){v.addEventListener("click",function(){v.parentNode.querySelectorAll("span").forEach(function(o){o.style.borderColor=""});v.style.borderColor="#3b3024"})})});`;
}

function busyWork(ms: number): string {
  return `(function(){var until=performance.now()+${Number(ms)};while(performance.now()<until){}})();`;
}

function card(item: (typeof CATALOGUE)[number], eager: boolean): string {
  return `<a class="card" href="/products/${item.handle}"><img src="/theme/img/${item.handle}.svg" width="600" height="750" alt="${item.title}"${eager ? "" : ' loading="lazy"'}>
<p class="card__title">${item.title}</p><p class="card__price">${item.price}</p></a>`;
}

function mainContent(kind: PageKind, appBlocks: string, slowImage: string): string {
  if (kind === "home") {
    return `<section class="hero"><img src="/theme/img/hero.svg" width="1200" height="600" alt="Knitwear on a wooden table" fetchpriority="high">
<div class="hero__text"><h1>Made to be worn for decades</h1><a class="button" href="/collections/all">Shop the collection</a></div></section>${slowImage}
<h2>Best sellers</h2><div class="grid">${CATALOGUE.slice(0, 4).map((item) => card(item, false)).join("\n")}</div>
<h2>New in</h2><div class="grid">${CATALOGUE.slice(4).map((item) => card(item, false)).join("\n")}</div>`;
  }
  if (kind === "collection") {
    return `<h1>All products</h1>${slowImage}<div class="grid">${[...CATALOGUE, ...CATALOGUE].map((item, i) => card(item, i < 4)).join("\n")}</div>`;
  }
  return `<div class="product"><div><img src="/theme/img/${PRODUCT.handle}.svg" width="900" height="1100" alt="" fetchpriority="high">${slowImage}</div>
<div class="product__info"><h1>${escapeHtml(PRODUCT.title)}</h1><p class="product__price">${PRODUCT.price}</p>
<div class="variants"><span>XS</span><span>S</span><span>M</span><span>L</span><span>XL</span></div>
<button class="button button--full" type="button">Add to cart</button>${appBlocks}
<p>Knitted in Portugal from 100% extra-fine merino. Soft next to the skin, warm without the bulk, and it keeps its shape wash after wash.</p>
<p>Hand wash cold and dry flat.</p></div></div>
<h2>You may also like</h2><div class="grid">${CATALOGUE.slice(0, 4).map((item) => card(item, false)).join("\n")}</div>`;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function readOptions(url: URL): PageOptions {
  const flag = (name: string) => url.searchParams.get(name) === "1";
  return {
    embed: url.searchParams.get("embed") !== "0",
    immediate: flag("immediate"),
    loggedIn: flag("customer"),
    slowImageMs: Number(url.searchParams.get("slow") ?? 0),
    earlyCalls: flag("calls"),
    locale: url.searchParams.get("locale") === "fr" ? "fr" : "en",
  };
}

type SiteSettings = { loaderUrl?: string; widgetId: string | (() => string | undefined); customer: StorefrontCustomer; host: string; eagerWidget: boolean };

async function renderPage(kind: PageKind, options: PageOptions, { loaderUrl, widgetId, customer, host, eagerWidget }: SiteSettings): Promise<string> {
  // The app-data metafield, read on each page view as the theme reads it.
  const pageWidgetId = typeof widgetId === "function" ? (widgetId() ?? WIDGET_ID) : widgetId;
  const context: StorefrontContext = {
    widgetIdMetafield: pageWidgetId,
    host,
    customer: options.loggedIn ? customer : null,
    pageType: kind === "home" ? "index" : kind,
    product: kind === "product" ? PRODUCT : null,
    cart: { item_count: CART_ITEM_COUNT },
    locale: options.locale,
  };
  const blocks: BlockName[] = kind === "product" ? ["ask-about-product", "help-button"] : [];
  if (options.embed) blocks.push("oscar-chat-embed");
  const appBlocks =
    kind === "product"
      ? (await renderBlock("ask-about-product", context)) + (await renderBlock("help-button", { ...context, settings: { help_flow_id: HELP_FLOW_ID } }))
      : "";
  const embed = options.embed
    ? await renderBlock("oscar-chat-embed", { ...context, settings: { load_immediately: Boolean(options.immediate), ...(loaderUrl ? { loader_url: loaderUrl } : {}) } })
    : "";
  // What "Load the chat immediately" used to render: the loader in the page's HTML, loading with it.
  const eagerLoader = options.embed && eagerWidget && loaderUrl ? `<script src="${loaderUrl}" data-widget-id="${pageWidgetId}" async></script>` : "";
  const slowImage = options.slowImageMs ? `<img src="/theme/img/slow.svg?ms=${options.slowImageMs}" width="1" height="1" alt="">` : "";
  const earlyCalls = options.earlyCalls
    ? `<script>OscarChat("track", { step: 1 }); OscarChat("track", { step: 2 });</script>`
    : "";
  return `<!doctype html><html lang="${options.locale ?? "en"}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>Maple &amp; Thread</title>
<meta name="description" content="Knitwear, tees and everyday goods from natural fibres.">
<link rel="stylesheet" href="/theme/theme.css"><script src="/theme/theme.js" defer></script>
${blockScriptTags(blocks)}</head><body>
<div class="announcement">Free shipping on orders over $100</div>
<header class="header"><a class="header__logo" href="/">MAPLE &amp; THREAD</a><nav><a href="/collections/all">Shop</a><a href="/pages/about">About</a><a href="/cart">Cart (${CART_ITEM_COUNT})</a></nav></header>
<main class="page">${mainContent(kind, appBlocks, slowImage)}</main>
<footer class="footer">© Maple &amp; Thread. Knitwear made to last.</footer>
${embed}${eagerLoader}${earlyCalls}</body></html>`;
}

function send(request: IncomingMessage, response: ServerResponse, status: number, type: string, body: string | Buffer, headers: Record<string, string> = {}) {
  const raw = Buffer.isBuffer(body) ? body : Buffer.from(body);
  const gzip = /\bgzip\b/.test(String(request.headers["accept-encoding"] ?? "")) && raw.length > 256;
  response.writeHead(status, { "Content-Type": type, ...(gzip ? { "Content-Encoding": "gzip" } : {}), ...headers });
  response.end(gzip ? gzipSync(raw) : raw);
}

/**
 * Shopify's app proxy: the storefront's /apps/oscar-chat/<path> reaches <app>/proxy/<path> with the
 * shopper's query, plus the shop, the logged-in customer (empty for a visitor), the path prefix, a
 * timestamp and the signature; the shopper's address in X-Forwarded-For; no cookies either way.
 */
async function forwardToAppProxy(target: AppProxyTarget, url: URL, loggedInCustomerId: string, shopperAddress: string) {
  const params = new URLSearchParams(url.searchParams);
  params.set("shop", target.shop);
  params.set("logged_in_customer_id", loggedInCustomerId);
  params.set("path_prefix", APP_PROXY_PREFIX);
  params.set("timestamp", String(Math.floor(Date.now() / 1000)));
  signAppProxyParams(params, target.apiSecret);
  const path = url.pathname.slice(APP_PROXY_PREFIX.length);
  const response = await fetch(`${target.appUrl}/proxy${path}?${params}`, { headers: { Accept: "application/json", "X-Forwarded-For": shopperAddress } });
  const headers: Record<string, string> = {};
  for (const name of ["content-type", "cache-control", "retry-after"]) {
    const value = response.headers.get(name);
    if (value) headers[name] = value;
  }
  return { status: response.status, headers, body: Buffer.from(await response.arrayBuffer()) };
}

/**
 * Starts the site. `loaderUrl` replaces Oscar's loader URL in the embed's settings (https, or the
 * simulator's http one on loopback); `widgetId` is the one the app would have written to its metafield (or a function reading it per page view);
 * `appProxy` sends /apps/oscar-chat/* to the real app, signed, instead of the stand-in identity answer;
 * `customer` is who `?customer=1` pages are logged in as; `themeWorkMs` is how long the theme's own
 * script keeps the main thread busy at start-up.
 * `slowEmbedWorkMs` makes a deliberately slow embed: the extension's script starts with that much
 * synchronous work and does it again on every click, so a test or bench can show that its bounds on
 * page load and on the launcher's response catch a heavier embed; `eagerWidget` makes another: the
 * loader's script tag in every embed page's HTML, so the widget loads with the page.
 */
export async function startStorefront({
  loaderUrl,
  themeWorkMs = 0,
  widgetId = WIDGET_ID,
  appProxy,
  customer = CUSTOMER,
  slowEmbedWorkMs = 0,
  eagerWidget = false,
}: {
  loaderUrl?: string;
  themeWorkMs?: number;
  widgetId?: string | (() => string | undefined);
  appProxy?: AppProxyTarget;
  customer?: StorefrontCustomer;
  slowEmbedWorkMs?: number;
  eagerWidget?: boolean;
} = {}): Promise<Storefront> {
  const themeJs = themeScript(themeWorkMs);
  const slowEmbedWork = slowEmbedWorkMs > 0 ? `${busyWork(slowEmbedWorkMs)}document.addEventListener("click",function(){${busyWork(slowEmbedWorkMs)}});\n` : "";
  // Liquid's request.host: this site's own, so the embed knows it is not a Shopify storefront.
  const settings: SiteSettings = { loaderUrl, widgetId, customer, host: "127.0.0.1", eagerWidget };
  let identityRequests = 0;
  const assetCache = "public, max-age=31536000, immutable";
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://storefront.local");
    void (async () => {
      const kind = (Object.keys(PATHS) as PageKind[]).find((k) => PATHS[k] === url.pathname);
      if (kind) {
        const options = readOptions(url);
        return send(request, response, 200, "text/html; charset=utf-8", await renderPage(kind, options, settings), {
          "Cache-Control": "no-store",
          // Shopify knows the logged-in customer from its own cookie; the proxy here reads this one.
          "Set-Cookie": `customer=${options.loggedIn ? customer.id : ""}; Path=/; SameSite=Lax`,
        });
      }
      if (appProxy && url.pathname.startsWith(`${APP_PROXY_PREFIX}/`)) {
        if (url.pathname === `${APP_PROXY_PREFIX}/identity`) identityRequests++;
        const loggedInCustomerId = /(?:^|;\s*)customer=(\d+)/.exec(String(request.headers.cookie ?? ""))?.[1] ?? "";
        const answer = await forwardToAppProxy(appProxy, url, loggedInCustomerId, request.socket.remoteAddress ?? "127.0.0.1");
        response.writeHead(answer.status, answer.headers);
        return response.end(answer.body);
      }
      if (url.pathname === "/apps/oscar-chat/identity") {
        identityRequests++;
        const loggedIn = /(?:^|;\s*)customer=\d+/.test(String(request.headers.cookie ?? ""));
        return send(request, response, 200, "application/json", JSON.stringify(loggedIn ? { identity: IDENTITY, expires_at: Math.floor(Date.now() / 1000) + IDENTITY_TTL_SECONDS } : { identity: null }), { "Cache-Control": "private, no-store" });
      }
      if (url.pathname.startsWith(`${DEFAULT_ASSET_BASE}/`)) {
        const file = url.pathname.slice(DEFAULT_ASSET_BASE.length + 1);
        if (!/^[a-z0-9-]+\.(js|css)$/.test(file)) return send(request, response, 404, "text/plain", "not found");
        const type = file.endsWith(".js") ? "text/javascript" : "text/css";
        const asset = readFileSync(join(EXTENSION_DIR, "assets", file), "utf8");
        return send(request, response, 200, type, file === "oscar-chat.js" ? slowEmbedWork + asset : asset, { "Cache-Control": assetCache });
      }
      if (url.pathname === "/theme/theme.css") return send(request, response, 200, "text/css", THEME_CSS, { "Cache-Control": assetCache });
      if (url.pathname === "/theme/theme.js") return send(request, response, 200, "text/javascript", themeJs, { "Cache-Control": assetCache });
      if (url.pathname === "/theme/img/slow.svg") {
        await new Promise((resolve) => setTimeout(resolve, Math.min(Number(url.searchParams.get("ms")) || 0, 10_000)));
        return send(request, response, 200, "image/svg+xml", productImage("", "#fff", 1, 1), { "Cache-Control": "no-store" });
      }
      const image = /^\/theme\/img\/([a-z0-9-]+)\.svg$/.exec(url.pathname);
      if (image) {
        const item = CATALOGUE.find((c) => c.handle === image[1]);
        const svg =
          image[1] === "hero" ? productImage("Autumn knitwear", "#8c6e54", 1200, 600)
          : image[1] === PRODUCT.handle ? productImage("Merino Crew", "#c9b79c", 900, 1100)
          : productImage(item?.title ?? "", item?.color ?? "#ddd", 600, 750);
        return send(request, response, 200, "image/svg+xml", svg, { "Cache-Control": assetCache });
      }
      // Browsers ask for it on every site; a store has one, so a 404 here would be noise in the console.
      if (url.pathname === "/favicon.ico") return send(request, response, 200, "image/svg+xml", productImage("", "#8c6e54", 32, 32), { "Cache-Control": assetCache });
      send(request, response, 404, "text/plain", "not found");
    })().catch((error: Error) => send(request, response, 500, "text/plain", error.message));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    pageUrl(kind, options = {}) {
      const params = new URLSearchParams();
      if (options.embed === false) params.set("embed", "0");
      if (options.immediate) params.set("immediate", "1");
      if (options.loggedIn) params.set("customer", "1");
      if (options.slowImageMs) params.set("slow", String(options.slowImageMs));
      if (options.earlyCalls) params.set("calls", "1");
      if (options.locale) params.set("locale", options.locale);
      const query = params.toString();
      return `${url}${PATHS[kind]}${query ? `?${query}` : ""}`;
    },
    identityRequests: () => identityRequests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
