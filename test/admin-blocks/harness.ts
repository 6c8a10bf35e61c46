import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { join, resolve } from "node:path";
import { getJwt } from "@shopify/shopify-api/test-helpers";
import { adminExtensionHostPage } from "../../app/sandbox/admin-extension-host.server";
import { TEST_API_KEY, TEST_API_SECRET } from "../harness/app-stack";

export const EXTENSION = "oscar-admin-conversations";
const BUILT = resolve("build/ui-extensions", EXTENSION);
const HOST_SCRIPT = resolve("app/sandbox/admin-extension-host.js");

/** A session token as the Shopify admin issues one to the app's extensions (HS256 with the app secret). */
export async function sessionToken(shop: string, { secret = TEST_API_SECRET, expiredSecondsAgo }: { secret?: string; expiredSecondsAgo?: number } = {}) {
  const now = Math.floor(Date.now() / 1000);
  const overrides = expiredSecondsAgo === undefined ? {} : { exp: now - expiredSecondsAgo, nbf: now - expiredSecondsAgo - 60, iat: now - expiredSecondsAgo - 60 };
  return (await getJwt(shop.replace(".myshopify.com", ""), TEST_API_KEY, secret, overrides)).token;
}

export type TokenMode = "valid" | "forged" | "held";

/**
 * The admin stand-in for the browser tests, on an origin of its own (as Shopify's admin is to the
 * app), so the extension's calls to the app are cross-origin with a Bearer token, as in the admin.
 * `held` tokens wait until `releaseHeldTokens()`: the block stays in its loading state until then.
 */
export async function startAdminHost(appUrl: string, shop: string) {
  let release: () => void = () => undefined;
  let held = new Promise<void>((r) => (release = r));
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://host");
    const send = (status: number, type: string, body: string | Buffer) => {
      res.writeHead(status, { "Content-Type": type, "Cache-Control": "no-store" });
      res.end(body);
    };
    try {
      if (url.pathname === "/host.js") return send(200, "text/javascript", readFileSync(HOST_SCRIPT));
      if (url.pathname.startsWith("/ext/")) {
        const file = resolve(BUILT, url.pathname.slice("/ext/".length));
        if (!file.startsWith(BUILT)) return send(404, "text/plain", "not found");
        return send(200, file.endsWith(".json") ? "application/json" : "text/javascript", readFileSync(file));
      }
      if (url.pathname === "/token") {
        const mode = url.searchParams.get("mode") as TokenMode;
        if (mode === "held") await held;
        const token = await sessionToken(shop, mode === "forged" ? { secret: "not-the-apps-secret-000000000000" } : {});
        return send(200, "application/json", JSON.stringify({ token }));
      }
      if (url.pathname === "/page") {
        const target = url.searchParams.get("target")!;
        const html = adminExtensionHostPage(
          {
            target,
            selectedId: url.searchParams.get("id")!,
            locale: url.searchParams.get("locale") ?? "en",
            appUrl,
            tokenUrl: `/token?mode=${url.searchParams.get("token") ?? "valid"}`,
            bundleUrl: `/ext/${target}.js`,
            localesUrl: "/ext/locales",
          },
          { hostScriptUrl: "/host.js", title: target },
        );
        return send(200, "text/html; charset=utf-8", html);
      }
      send(404, "text/plain", "not found");
    } catch (error) {
      send(500, "text/plain", String(error));
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const address = server.address();
  const origin = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  return {
    origin,
    pageUrl: (target: string, id: string, options: { locale?: string; token?: TokenMode } = {}) =>
      `${origin}/page?${new URLSearchParams({ target, id, locale: options.locale ?? "en", token: options.token ?? "valid" })}`,
    releaseHeldTokens: () => {
      release();
      held = new Promise<void>((r) => (release = r));
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

export const localeFile = (name: string) => join(resolve("extensions", EXTENSION, "locales"), `${name}.json`);
