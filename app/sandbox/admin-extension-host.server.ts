import { escapeHtml } from "../text/escape";

/**
 * The page that stands in for the Shopify admin around one admin UI extension target (sandbox and
 * browser tests): it loads admin-extension-host.js, which provides `shopify`, the s-* elements and the
 * authenticated fetch, then runs the target's bundle from build/ui-extensions (scripts/build-ui-extensions.ts).
 */
export type AdminExtensionHostConfig = {
  target: string;
  /** The resource the admin page is about, e.g. gid://shopify/Customer/123. */
  selectedId: string;
  locale: string;
  /** The app's application_url: where relative fetches go, with the session token. */
  appUrl: string;
  /** Answers `{ token }`: a fresh session token, as the admin's idToken() would. */
  tokenUrl: string;
  bundleUrl: string;
  /** The folder holding <locale>.json and en.default.json. */
  localesUrl: string;
};

// JSON inside <script>: "<" escaped so no value can close the element.
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, "\\u003c");

export function adminExtensionHostPage(config: AdminExtensionHostConfig, { hostScriptUrl, title }: { hostScriptUrl: string; title: string }): string {
  return `<!doctype html>
<html lang="${escapeHtml(config.locale.split("-")[0]!)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${escapeHtml(title)}</title>
<style>
  body { margin: 0; padding: 24px; background: #f1f1f1; font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, sans-serif; max-width: 560px; }
</style>
<script type="application/json" id="admin-extension-host-config">${scriptJson(config)}</script>
<script src="${escapeHtml(hostScriptUrl)}" defer></script>
</head>
<body></body>
</html>`;
}
