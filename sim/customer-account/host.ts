// A stand-in for Shopify's customer accounts, just enough to run the "Get help with this order" block
// (extensions/order-help) in a real browser, for tests and the sandbox. What it assumes about the real host:
// - The block's module runs with a global `shopify` holding the target's API; this provides only what the
//   block reads: authenticationState and order (signals: `value` + `subscribe`), shop, i18n.translate
//   (`{{name}}` placeholders, the extension's locales), sessionToken.get and requireLogin.
// - The real host runs the module in a sandboxed worker and draws Polaris components; here it runs in an
//   iframe (the order status page around it cannot be touched) and s-section, s-stack, s-paragraph,
//   s-banner and s-button are drawn by small custom elements with the same properties.
// - Session tokens are what Shopify documents for customer account extensions: HS256 JWTs signed with
//   the app's secret, `aud` the app's client id, `dest` the shop, `sub` the customer's gid only for a
//   fully authenticated customer, valid for 5 minutes. This host is Shopify's side: it holds the secret.
// - requireLogin stands for Shopify's sign-in: it reopens the page as the signed-in customer.
import { createHmac, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join, resolve } from "node:path";

const LOCALES_DIR = resolve(import.meta.dirname, "../../extensions/order-help/locales");

export type AccountOrder = { id: string; name: string; processedAt: string };

export type CustomerAccountHostOptions = {
  shop: string;
  shopName: string;
  apiKey: string;
  apiSecret: string;
  storefrontUrl: string;
  customer: { id: string; name: string };
  orders: AccountOrder[];
  /** The block's built module (scripts/build-ui-extensions.ts). */
  bundlePath: string;
  locale?: "en" | "fr";
  port?: number;
};

export type CustomerAccountHost = {
  url: string;
  /** The order status page of one order, as the signed-in customer or as a buyer who followed a link. */
  orderStatusUrl(orderId: string, options?: { signedIn?: boolean }): string;
  close(): Promise<void>;
};

const base64url = (value: string | Buffer) => Buffer.from(value).toString("base64url");

/** A customer account session token as Shopify signs one for this app. */
export function customerAccountSessionToken({ apiKey, apiSecret, shop, customerGid, now = new Date(), ttlSeconds = 300 }: {
  apiKey: string;
  apiSecret: string;
  shop: string;
  customerGid?: string;
  now?: Date;
  ttlSeconds?: number;
}): string {
  const iat = Math.floor(now.getTime() / 1000);
  const claims = { iss: `https://${shop}/account`, dest: shop, aud: apiKey, ...(customerGid ? { sub: customerGid } : {}), exp: iat + ttlSeconds, nbf: iat, iat, jti: randomUUID() };
  const unsigned = `${base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }))}.${base64url(JSON.stringify(claims))}`;
  return `${unsigned}.${base64url(createHmac("sha256", apiSecret).update(unsigned).digest())}`;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
// JSON inside a <script>: no "</script>" or "<!--" can close it.
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, "\\u003c");

function translations(locale: string): Record<string, string> {
  const file = locale === "en" ? "en.default.json" : `${locale}.json`;
  return JSON.parse(readFileSync(join(LOCALES_DIR, file), "utf8")) as Record<string, string>;
}

// The Polaris components the block uses, drawn plainly. Each prop is an accessor that redraws and an
// observed attribute: Preact sets a property when the element has one, except a few such as href,
// which it always sets as an attribute.
const COMPONENTS = `
const sheet = "*{box-sizing:border-box}:host{display:block;font:15px/1.5 system-ui,sans-serif;color:#1a1a1a}";
class Base extends HTMLElement {
  constructor() { super(); this.attachShadow({ mode: "open" }); this.props = {}; }
  connectedCallback() { this.draw(); }
  attributeChangedCallback(name, _old, value) { this.props[name] = value; if (this.isConnected) this.draw(); }
  static define(name, props) {
    Object.defineProperty(this, "observedAttributes", { get: () => props });
    for (const prop of props) Object.defineProperty(this.prototype, prop, { get() { return this.props[prop]; }, set(v) { this.props[prop] = v; this.draw(); } });
    customElements.define(name, this);
  }
}
class Section extends Base { draw() { this.shadowRoot.innerHTML = "<style>" + sheet + ":host{border:1px solid #e3e3e3;border-radius:12px;padding:20px;background:#fff}h2{font-size:17px;margin:0 0 12px}</style><h2></h2><slot></slot>"; this.shadowRoot.querySelector("h2").textContent = this.props.heading || ""; } }
Section.define("s-section", ["heading"]);
class Stack extends Base { draw() { this.shadowRoot.innerHTML = "<style>" + sheet + ":host{display:flex;flex-direction:column;gap:12px;align-items:flex-start}</style><slot></slot>"; } }
Stack.define("s-stack", ["gap", "direction"]);
class Paragraph extends Base { draw() { this.shadowRoot.innerHTML = "<style>" + sheet + "p{margin:0}</style><p><slot></slot></p>"; } }
Paragraph.define("s-paragraph", []);
class Banner extends Base { draw() { this.shadowRoot.innerHTML = "<style>" + sheet + "div{padding:10px 12px;border-radius:8px;background:#fff4f4;border:1px solid #e0b3b2}</style><div role=alert><slot></slot></div>"; } }
Banner.define("s-banner", ["tone", "heading"]);
class Button extends Base {
  draw() {
    const p = this.props;
    const primary = p.variant === "primary";
    const style = "<style>" + sheet + "a,button{display:inline-block;font:inherit;font-weight:600;padding:9px 16px;border-radius:8px;border:1px solid #1a1a1a;cursor:pointer;text-decoration:none;" + (primary ? "background:#1a1a1a;color:#fff" : "background:#fff;color:#1a1a1a") + "}</style>";
    if (p.href) {
      this.shadowRoot.innerHTML = style + "<a rel=noopener><slot></slot></a>";
      const a = this.shadowRoot.querySelector("a");
      a.href = p.href;
      if (p.target === "_blank") a.target = "_blank";
    } else {
      this.shadowRoot.innerHTML = style + "<button type=button><slot></slot></button>";
      const b = this.shadowRoot.querySelector("button");
      b.disabled = Boolean(p.loading || p.disabled);
      if (p.loading) b.setAttribute("aria-busy", "true");
    }
  }
}
Button.define("s-button", ["href", "target", "variant", "loading", "disabled", "tone"]);
`;

export async function startCustomerAccountHost(options: CustomerAccountHostOptions): Promise<CustomerAccountHost> {
  const locale = options.locale ?? "en";
  const strings = translations(locale);
  const bundle = readFileSync(options.bundlePath, "utf8");
  const orderById = (id: string) => options.orders.find((o) => o.id.endsWith(`/${id}`));

  function orderStatusPage(order: AccountOrder, signedIn: boolean): string {
    const who = signedIn ? `Signed in as ${escapeHtml(options.customer.name)}` : "Viewing this order from a link (not signed in)";
    const numeric = order.id.slice(order.id.lastIndexOf("/") + 1);
    return `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><title>Order ${escapeHtml(order.name)} – ${escapeHtml(options.shopName)}</title>
<style>body{margin:0;font:15px/1.5 system-ui,sans-serif;background:#f4f4f4;color:#1a1a1a}header{background:#fff;border-bottom:1px solid #e3e3e3;padding:16px 32px;display:flex;justify-content:space-between}
main{max-width:720px;margin:24px auto;padding:0 16px}h1{font-size:22px;margin:0 0 4px}.muted{color:#616161}.card{background:#fff;border:1px solid #e3e3e3;border-radius:12px;padding:20px;margin-bottom:16px}iframe{width:100%;height:220px;border:0}</style></head>
<body><header><strong>${escapeHtml(options.shopName)}</strong><span class="muted">${who}</span></header>
<main><div class="card"><h1>Order ${escapeHtml(order.name)}</h1><p class="muted">Placed ${escapeHtml(order.processedAt.slice(0, 10))}</p></div>
<iframe title="Get help with this order (app block)" src="/block/${numeric}${signedIn ? "" : "?signed_in=0"}"></iframe></main></body></html>`;
  }

  function blockFrame(order: AccountOrder, signedIn: boolean): string {
    // Only what Shopify would give this target: a pre-authenticated buyer's order is not the app's to read.
    const api = {
      authenticationState: signedIn ? "fully_authenticated" : "pre_authenticated",
      order: signedIn ? { id: order.id, name: order.name, processedAt: order.processedAt } : undefined,
      shop: { id: "gid://shopify/Shop/1", name: options.shopName, storefrontUrl: options.storefrontUrl, myshopifyDomain: options.shop },
      strings,
      signInUrl: `/orders/${order.id.slice(order.id.lastIndexOf("/") + 1)}`,
    };
    return `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><style>body{margin:0;padding:2px}</style></head><body>
<script type="module">
${COMPONENTS}
const host = ${scriptJson(api)};
const signal = (value) => ({ value, subscribe(fn) { fn(value); return () => {}; } });
globalThis.shopify = {
  authenticationState: signal(host.authenticationState),
  order: signal(host.order),
  shop: host.shop,
  i18n: { translate: (key, values = {}) => (host.strings[key] ?? key).replace(/\\{\\{(\\w+)\\}\\}/g, (_, name) => String(values[name] ?? "")) },
  sessionToken: { get: () => fetch("/session-token" + (host.authenticationState === "fully_authenticated" ? "" : "?signed_in=0"), { method: "POST" }).then((r) => r.text()) },
  requireLogin: async () => { top.location.assign(host.signInUrl); },
};
const { default: run } = await import("/extension.js");
await run();
</script></body></html>`;
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://host");
    const signedIn = url.searchParams.get("signed_in") !== "0";
    const send = (status: number, type: string, body: string) => {
      res.writeHead(status, { "Content-Type": type, "Cache-Control": "no-store" });
      res.end(body);
    };
    const page = /^\/(orders|block)\/(\d+)$/.exec(url.pathname);
    if (req.method === "GET" && url.pathname === "/") {
      const links = options.orders.map((o) => `<li><a href="/orders/${o.id.slice(o.id.lastIndexOf("/") + 1)}">Order ${escapeHtml(o.name)}</a> (<a href="/orders/${o.id.slice(o.id.lastIndexOf("/") + 1)}?signed_in=0">as a buyer who is not signed in</a>)</li>`).join("");
      return send(200, "text/html; charset=utf-8", `<!doctype html><meta charset="utf-8"><title>Orders – ${escapeHtml(options.shopName)}</title><body style="font:15px system-ui;margin:32px"><h1>${escapeHtml(options.customer.name)}'s orders</h1><ul>${links}</ul>`);
    }
    if (req.method === "GET" && page) {
      const order = orderById(page[2]);
      if (!order) return send(404, "text/plain", "No such order");
      return send(200, "text/html; charset=utf-8", page[1] === "orders" ? orderStatusPage(order, signedIn) : blockFrame(order, signedIn));
    }
    if (req.method === "GET" && url.pathname === "/extension.js") return send(200, "text/javascript; charset=utf-8", bundle);
    if (req.method === "POST" && url.pathname === "/session-token") {
      return send(200, "text/plain", customerAccountSessionToken({ apiKey: options.apiKey, apiSecret: options.apiSecret, shop: options.shop, customerGid: signedIn ? options.customer.id : undefined }));
    }
    send(404, "text/plain", "Not found");
  });
  await new Promise<void>((r) => server.listen(options.port ?? 0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    orderStatusUrl: (orderId, { signedIn = true } = {}) => `${url}/orders/${orderId.slice(orderId.lastIndexOf("/") + 1)}${signedIn ? "" : "?signed_in=0"}`,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
