// Builds the "Get help with this order" customer account extension (extensions/order-help) into one
// ES module, as Shopify CLI would bundle it: Preact's automatic JSX, everything inlined. The app's URL
// is written in (an extension cannot read the app's settings at run time).
//   npx tsx scripts/build-order-status-extension.ts [--app-url https://…] [--out file]
// Until the generic UI-extension builder lands, tests and the sandbox build the block with this.
import { mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";

const ROOT = resolve(import.meta.dirname, "..");
export const ORDER_HELP_EXTENSION_DIR = join(ROOT, "extensions/order-help");
export const ORDER_HELP_ENTRY = join(ORDER_HELP_EXTENSION_DIR, "src/OrderHelpBlock.tsx");

export async function buildOrderStatusExtension({ appUrl, outfile }: { appUrl: string; outfile: string }): Promise<string> {
  const url = new URL(appUrl);
  mkdirSync(dirname(outfile), { recursive: true });
  await build({
    entryPoints: [ORDER_HELP_ENTRY],
    outfile,
    bundle: true,
    format: "esm",
    target: "es2020",
    jsx: "automatic",
    jsxImportSource: "preact",
    minify: false,
    logLevel: "silent",
    define: { "process.env.OSCAR_APP_URL": JSON.stringify(url.origin) },
  });
  return outfile;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const appUrl = arg("--app-url") ?? process.env.SHOPIFY_APP_URL;
  if (!appUrl) {
    console.error("Give the app's URL: --app-url https://… or SHOPIFY_APP_URL.");
    process.exit(1);
  }
  const outfile = resolve(arg("--out") ?? join(ORDER_HELP_EXTENSION_DIR, "dist/order-help.js"));
  await buildOrderStatusExtension({ appUrl, outfile });
  console.log(`Built ${outfile} for ${new URL(appUrl).origin}`);
}
