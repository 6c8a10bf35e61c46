import { describe, expect, it } from "vitest";
import { blockSchema, blockScriptTags, renderBlock, type StorefrontContext } from "./liquid";

const WIDGET = "maple-and-thread-chat";
const LOADER = "https://widget.oscarchat.ai/loader.js";
const maya = { id: 7400000000001, email: "maya.okafor@example.com", first_name: "Maya", last_name: "Okafor", name: "Maya Okafor" };
const product = { id: 8100000000001, handle: "merino-crew", title: `Merino "Fjord" Crew <Limited> & Co's` };

const embed = (context: StorefrontContext = {}) => renderBlock("oscar-chat-embed", { widgetIdMetafield: WIDGET, ...context });

function attribute(html: string, name: string): string | null {
  const match = new RegExp(`\\s${name}="([^"]*)"`).exec(html);
  return match ? match[1] : null;
}

function decodeAttribute(value: string): string {
  return value.replace(/&#34;|&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

describe("the app embed, rendered", () => {
  it("installs the OscarChat queue first, then the app's launcher, and no third-party script", async () => {
    const html = await embed();
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts).toEqual(["<script>"]);
    expect(html.indexOf("window.OscarChat = window.OscarChat || function")).toBeLessThan(html.indexOf('id="oscar-chat"'));
    expect(html).toContain("(OscarChat.q = OscarChat.q || []).push(arguments)");
    expect(attribute(html, "data-widget-id")).toBe(WIDGET);
    expect(attribute(html, "data-loader")).toBe(LOADER);
    expect(html).toMatch(/<button\s[^>]*class="oscar-chat-launcher oscar-chat-launcher--right"[^>]*\shidden\s*>/);
    expect(attribute(html, "aria-label")).toBe("Chat with us");
    // The stylesheet never blocks rendering.
    expect(html).toMatch(/<link rel="stylesheet" href="[^"]+\/oscar-chat\.css" media="print" onload="this\.media='all'">/);
  });

  it("leaves out the app's launcher when the merchant asks for the chat immediately, and still no loader in the HTML", async () => {
    const html = await embed({ settings: { load_immediately: true } });
    // oscar-chat.js fetches the loader once the page has loaded: in the HTML it would hold the page's load.
    expect(html.match(/<script\b[^>]*>/g)).toEqual(["<script>"]);
    expect(html).not.toContain("oscar-chat-launcher");
    expect(attribute(html, "data-loader")).toBe(LOADER);
    expect(attribute(html, "data-load")).toBe("immediately");
    expect(attribute(await embed(), "data-load")).toBeNull();
  });

  it("lets the merchant's widget id setting override the one the app wrote", async () => {
    expect(attribute(await embed({ settings: { widget_id: "  other_widget-2 " } }), "data-widget-id")).toBe("other_widget-2");
    expect(attribute(await renderBlock("oscar-chat-embed", { settings: { widget_id: "typed-in" } }), "data-widget-id")).toBe("typed-in");
  });

  it.each([
    ["missing", null],
    ["with a space", "maple thread"],
    ["with a quote", 'abc"onmouseover="x'],
    ["with markup", "<script>alert(1)</script>"],
    ["too long", "w".repeat(65)],
    ["with letters beyond ASCII", "chât"],
  ])("renders no script at all for a widget id %s, and says so in the theme editor", async (_case, widgetId) => {
    const live = await renderBlock("oscar-chat-embed", { widgetIdMetafield: widgetId });
    expect(live.trim()).toBe("");

    const editor = await renderBlock("oscar-chat-embed", { widgetIdMetafield: widgetId, designMode: true });
    expect(editor).not.toContain("<script");
    expect(editor).toContain('<p class="oscar-chat-notice" role="status">Oscar Chat is not showing: the widget id is missing or invalid.');
  });

  it("accepts a widget id of exactly 64 letters, digits, dashes and underscores", async () => {
    const longest = "Aa0_-".repeat(12) + "Zz9_";
    expect(longest).toHaveLength(64);
    expect(attribute(await embed({ widgetIdMetafield: longest }), "data-widget-id")).toBe(longest);
  });

  it.each([
    ["plain http", "http://widget.oscarchat.ai/loader.js"],
    ["a javascript: URL", "javascript:alert(1)"],
    ["a scheme-relative URL", "//widget.oscarchat.ai/loader.js"],
    ["https without a host", "https:///loader.js"],
    ["a URL breaking out of the attribute", 'https://cdn.example.com/l.js" onload="alert(1)'],
  ])("renders no script for a loader URL that is %s, and says so in the theme editor", async (_case, loaderUrl) => {
    for (const load_immediately of [false, true]) {
      const live = await embed({ settings: { loader_url: loaderUrl, load_immediately } });
      expect(live.trim()).toBe("");
      const editor = await embed({ settings: { loader_url: loaderUrl, load_immediately }, designMode: true });
      expect(editor).not.toContain("<script");
      expect(editor).toContain("the loader URL must be a full https:// address");
    }
  });

  it.each([
    ["127.0.0.1", "http://127.0.0.1:4200/widget/loader.js"],
    ["127.0.0.1:3000", "http://127.0.0.1:4200/widget/loader.js"],
    ["localhost", "http://localhost:4200/widget/loader.js"],
    ["localhost:3000", "HTTP://LOCALHOST:4200/widget/loader.js"],
    ["[::1]:3000", "http://[::1]:4200/widget/loader.js"],
  ])("accepts an http loader on this machine when the storefront itself is on loopback (%s): the sandbox's simulator", async (host, loaderUrl) => {
    for (const load_immediately of [false, true]) {
      const html = await embed({ host, settings: { loader_url: loaderUrl, load_immediately } });
      // Either way oscar-chat.js fetches it (at once after load, or later): the URL rides on the embed.
      expect(attribute(html, "data-loader")).toBe(loaderUrl);
    }
  });

  it.each([
    ["a Shopify storefront", "maple-and-thread.myshopify.com", "http://127.0.0.1:4200/widget/loader.js"],
    ["a custom domain", "www.maple-and-thread.com", "http://localhost:4200/widget/loader.js"],
    ["a domain that starts like loopback", "127.0.0.1.example.com", "http://127.0.0.1:4200/widget/loader.js"],
    ["a domain that starts like localhost", "localhost.example.com", "http://localhost:4200/widget/loader.js"],
  ])("refuses an http loader on %s, even one on loopback", async (_case, host, loaderUrl) => {
    expect((await embed({ host, settings: { loader_url: loaderUrl } })).trim()).toBe("");
    expect(await embed({ host, settings: { loader_url: loaderUrl }, designMode: true })).toContain("the loader URL must be a full https:// address");
  });

  it.each([
    ["another host", "http://widget.oscarchat.ai/loader.js"],
    ["another host named after loopback", "http://127.0.0.1.example.com/loader.js"],
    ["a user@host that names another host", "http://127.0.0.1:80@evil.example/loader.js"],
    ["no port", "http://127.0.0.1/loader.js"],
    ["an empty port", "http://localhost:/loader.js"],
    ["a port that is not a number", "http://localhost:42x/loader.js"],
    ["no path", "http://127.0.0.1:4200"],
    ["a URL breaking out of the attribute", 'http://127.0.0.1:4200/l.js" onload="alert(1)'],
  ])("refuses an http loader with %s even on a loopback storefront", async (_case, loaderUrl) => {
    for (const load_immediately of [false, true]) {
      expect((await embed({ host: "127.0.0.1", settings: { loader_url: loaderUrl, load_immediately } })).trim()).toBe("");
    }
  });

  it("shows nothing when the merchant switched the chat off in the app, whatever the embed's settings", async () => {
    expect(attribute(await embed({ chatEnabledMetafield: true }), "data-widget-id")).toBe(WIDGET);
    for (const settings of [{}, { widget_id: "typed-in", load_immediately: true }]) {
      expect((await embed({ chatEnabledMetafield: false, settings })).trim()).toBe("");
      const editor = await embed({ chatEnabledMetafield: false, settings, designMode: true });
      expect(editor).not.toContain("<script");
      expect(editor).toContain("Oscar Chat is switched off in the Oscar Chat app");
    }
  });

  it("uses Oscar's own loader when the setting is cleared, and an https one the merchant gives", async () => {
    expect(attribute(await embed({ settings: { loader_url: "" } }), "data-loader")).toBe(LOADER);
    expect(attribute(await embed({ settings: { loader_url: "https://eu.widget.oscarchat.ai/loader.js?v=2&x=1" } }), "data-loader")).toBe(
      "https://eu.widget.oscarchat.ai/loader.js?v=2&amp;x=1",
    );
  });

  it("writes nothing personal for a visitor who is not logged in, and asks for no identity", async () => {
    const html = await embed({ customer: null });
    expect(html).not.toContain("data-identity");
    expect(html).not.toContain("data-customer");
    expect(html).not.toContain("identify");
  });

  it("wires a logged-in customer to the app's signed identity and writes nothing else about them", async () => {
    for (const settings of [{}, { load_immediately: true }]) {
      const html = await embed({ customer: maya, settings });
      expect(attribute(html, "data-identity")).toBe("/apps/oscar-chat/identity");
      // Not even the customer's id: the app proxy learns who it is from Shopify's signed request.
      expect(html).not.toContain(String(maya.id));
      for (const personal of [maya.email, maya.first_name, maya.last_name, "@"]) expect(html).not.toContain(personal);
    }
  });

  it("speaks French to French shoppers", async () => {
    expect(attribute(await embed({ locale: "fr" }), "aria-label")).toBe("Discuter avec nous");
  });

  it("places the launcher where the merchant chose, in their color", async () => {
    const html = await embed({ settings: { launcher_position: "left", launcher_color: "#aa3300" } });
    expect(html).toContain("oscar-chat-launcher--left");
    expect(html).toContain("--oscar-chat-color: #aa3300;");
  });
});

describe("the product page's 'Ask about this product' block, rendered", () => {
  it("names the product in its own attribute, escaped once, next to the message in the shopper's language", async () => {
    const html = await renderBlock("ask-about-product", { product });
    expect(attribute(html, "data-oscar-chat")).toBe("ask");
    expect(decodeAttribute(attribute(html, "data-product")!)).toBe(product.title);
    expect(html).not.toContain("<Limited>");
    expect(decodeAttribute(attribute(html, "data-message")!)).toBe("Hi! I have a question about {product}.");
    expect(html).toMatch(/>\s*Ask about this product\s*</);

    const french = await renderBlock("ask-about-product", { product, locale: "fr" });
    expect(decodeAttribute(attribute(french, "data-message")!)).toBe("Bonjour ! J’ai une question sur {product}.");
  });

  it("escapes the merchant's own label and message", async () => {
    const html = await renderBlock("ask-about-product", { product, settings: { ask_label: "Ask <b>us</b>", ask_message: 'About "{product}"?' } });
    expect(html).toMatch(/>\s*Ask &lt;b&gt;us&lt;\/b&gt;\s*</);
    expect(decodeAttribute(attribute(html, "data-message")!)).toBe('About "{product}"?');
  });

  it("renders nothing off a product page, except a hint in the theme editor", async () => {
    expect((await renderBlock("ask-about-product", {})).trim()).toBe("");
    expect(await renderBlock("ask-about-product", { designMode: true })).toContain("add this block to a product page");
  });
});

describe("the help button block, rendered", () => {
  it("starts the merchant's flow with the page kind, the cart's size and the order number when there is one", async () => {
    const html = await renderBlock("help-button", {
      settings: { help_flow_id: "where-is-my-order" },
      pageType: "customers/order",
      cart: { item_count: 3 },
      order: { name: "#1042" },
    });
    expect(attribute(html, "data-flow")).toBe("where-is-my-order");
    expect(JSON.parse(decodeAttribute(attribute(html, "data-context")!))).toEqual({ page: "customers/order", cart_item_count: 3, order_number: "#1042" });

    const productPage = await renderBlock("help-button", { settings: { help_flow_id: "sizing" }, pageType: "product", cart: { item_count: 0 } });
    expect(JSON.parse(decodeAttribute(attribute(productPage, "data-context")!))).toEqual({ page: "product", cart_item_count: 0 });
  });

  it("renders nothing without a flow id, except a hint in the theme editor", async () => {
    expect((await renderBlock("help-button", {})).trim()).toBe("");
    expect(await renderBlock("help-button", { designMode: true })).toContain("enter the id of the Oscar flow");
  });
});

describe("the blocks' script", () => {
  it("is the one deferred oscar-chat.js, included once however many blocks are on the page", () => {
    for (const block of ["oscar-chat-embed", "ask-about-product", "help-button"] as const) expect(blockSchema(block).javascript).toBe("oscar-chat.js");
    const tags = blockScriptTags(["oscar-chat-embed", "ask-about-product", "help-button"]);
    expect(tags).toBe('<script src="/cdn/shop/extensions/oscar-chat/assets/oscar-chat.js" defer="defer"></script>');
  });

  it("puts the embed in the body and the other blocks in sections", () => {
    expect(blockSchema("oscar-chat-embed").target).toBe("body");
    expect(blockSchema("ask-about-product").target).toBe("section");
    expect(blockSchema("help-button").target).toBe("section");
  });
});
