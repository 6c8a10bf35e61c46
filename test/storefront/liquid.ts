// Renders the theme app extension's blocks the way a Shopify storefront would, with liquidjs and the
// few Shopify tags, filters and objects the blocks use, so tests can read and serve the real Liquid.
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { Liquid, Tag, TokenKind, type Context, type Emitter, type Liquid as LiquidEngine, type TagToken, type TopLevelToken } from "liquidjs";

export const EXTENSION_DIR = resolve("extensions/oscar-chat");
export const DEFAULT_ASSET_BASE = "/cdn/shop/extensions/oscar-chat/assets";

export type BlockName = "oscar-chat-embed" | "ask-about-product" | "help-button";

export type SettingSchema = { id?: string; type: string; default?: unknown };
export type BlockSchema = { name: string; target: string; javascript?: string; stylesheet?: string; settings?: SettingSchema[] };

/** What Shopify knows when it renders a block on a storefront page. */
export type StorefrontContext = {
  /** The merchant's settings for the block; unset ones take the schema's defaults. */
  settings?: Record<string, unknown>;
  /** The widget id the app wrote to app.metafields.oscar_chat.widget_id, if any. */
  widgetIdMetafield?: string | null;
  /** What the app wrote to app.metafields.oscar_chat.enabled, if anything. */
  chatEnabledMetafield?: boolean;
  /** The logged-in customer; absent for a visitor. */
  customer?: { id: number; email: string; first_name: string; last_name: string; name: string } | null;
  designMode?: boolean;
  pageType?: string;
  product?: { id: number; title: string; handle: string } | null;
  cart?: { item_count: number };
  order?: { name: string } | null;
  locale?: "en" | "fr";
  assetBase?: string;
  /** Liquid's `request.host`: the storefront's domain. Shopify's are public; only a local site is on loopback. */
  host?: string;
};

/** The host a storefront page has unless a test says otherwise: a Shopify store's domain. */
export const DEFAULT_STOREFRONT_HOST = "maple-and-thread.myshopify.com";

// Shopify reads {% schema %} itself; on the page it renders nothing.
class SchemaTag extends Tag {
  constructor(token: TagToken, remainTokens: TopLevelToken[], liquid: LiquidEngine) {
    super(token, remainTokens, liquid);
    while (remainTokens.length) {
      const next = remainTokens.shift()!;
      if (next.kind === TokenKind.Tag && (next as TagToken).name === "endschema") return;
    }
    throw new Error("{% schema %} is not closed");
  }
  *render(_context: Context, _emitter: Emitter) {}
}

function blockSource(block: BlockName, root = EXTENSION_DIR): string {
  return readFileSync(join(root, "blocks", `${block}.liquid`), "utf8");
}

export function readBlockSchema(source: string): BlockSchema {
  const match = /{%-?\s*schema\s*-?%}([\s\S]*?){%-?\s*endschema\s*-?%}/.exec(source);
  if (!match) throw new Error("the block has no {% schema %}");
  return JSON.parse(match[1]) as BlockSchema;
}

export function blockSchema(block: BlockName, root = EXTENSION_DIR): BlockSchema {
  return readBlockSchema(blockSource(block, root));
}

function lookup(tree: unknown, key: string): unknown {
  return key.split(".").reduce<unknown>((node, part) => (node && typeof node === "object" ? (node as Record<string, unknown>)[part] : undefined), tree);
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

export function storefrontTranslations(locale: "en" | "fr", root = EXTENSION_DIR): unknown {
  return JSON.parse(readFileSync(join(root, "locales", locale === "en" ? "en.default.json" : `${locale}.json`), "utf8"));
}

function createEngine(context: StorefrontContext, root: string): Liquid {
  const engine = new Liquid({ strictFilters: true });
  engine.registerTag("schema", SchemaTag);
  const translations = storefrontTranslations(context.locale ?? "en", root);
  // Shopify escapes translations unless the key ends in _html.
  engine.registerFilter("t", (key: string) => {
    const text = lookup(translations, key);
    if (typeof text !== "string") return `translation missing: ${context.locale ?? "en"}.${key}`;
    return key.endsWith("_html") ? text : escapeHtml(text);
  });
  engine.registerFilter("asset_url", (name: string) => `${context.assetBase ?? DEFAULT_ASSET_BASE}/${name}`);
  return engine;
}

/** The block's HTML as Shopify would put it on the page. */
export async function renderBlock(block: BlockName, context: StorefrontContext = {}, root = EXTENSION_DIR): Promise<string> {
  const source = blockSource(block, root);
  const schema = readBlockSchema(source);
  const defaults = Object.fromEntries((schema.settings ?? []).filter((s) => s.id).map((s) => [s.id!, s.default ?? null]));
  const designMode = context.designMode ?? false;
  return createEngine(context, root).parseAndRender(source, {
    block: {
      id: `${block}-1`,
      settings: { ...defaults, ...context.settings },
      shopify_attributes: designMode ? `data-shopify-editor-block="{&quot;id&quot;:&quot;${block}-1&quot;}"` : "",
    },
    app: {
      metafields: {
        oscar_chat: {
          ...(context.widgetIdMetafield ? { widget_id: { value: context.widgetIdMetafield } } : {}),
          ...(context.chatEnabledMetafield !== undefined ? { enabled: { value: context.chatEnabledMetafield } } : {}),
        },
      },
    },
    customer: context.customer ?? null,
    request: { design_mode: designMode, host: context.host ?? DEFAULT_STOREFRONT_HOST, page_type: context.pageType ?? "index", locale: { iso_code: context.locale ?? "en" } },
    product: context.product ?? null,
    cart: context.cart ?? { item_count: 0 },
    order: context.order ?? null,
  });
}

/** The script tags Shopify adds to <head> for the blocks' `javascript` assets: each file once, deferred. */
export function blockScriptTags(blocks: BlockName[], assetBase = DEFAULT_ASSET_BASE): string {
  const files = new Set(blocks.map((block) => blockSchema(block).javascript).filter((file): file is string => Boolean(file)));
  return [...files].map((file) => `<script src="${assetBase}/${file}" defer="defer"></script>`).join("\n");
}
