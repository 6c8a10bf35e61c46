// Finds and bundles the app's UI extensions (admin blocks and actions, customer-account blocks, …):
// every extensions/<name>/shopify.extension.toml with [[extensions.targeting]] entries that name a
// `module`. Theme app extensions (type = "theme") have no targeting and are left alone. Used by
// `npm run build`, the test setup and the sandbox; the Shopify CLI does its own bundling on deploy.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { build } from "esbuild";
import { parse } from "smol-toml";

export type UiExtensionTarget = { target: string; module: string };
export type UiExtension = {
  /** The folder name under extensions/. */
  name: string;
  dir: string;
  handle: string;
  type: string;
  apiVersion: string | null;
  targets: UiExtensionTarget[];
};

type ExtensionToml = {
  api_version?: string;
  extensions?: Array<{ handle?: string; type?: string; targeting?: Array<{ target?: string; module?: string }> }>;
};

/** Every extension whose toml declares at least one target with a module, in folder order. */
export function findUiExtensions(root: string): UiExtension[] {
  const extensionsDir = join(root, "extensions");
  if (!existsSync(extensionsDir)) return [];
  return readdirSync(extensionsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(extensionsDir, entry.name, "shopify.extension.toml")))
    .flatMap((entry) => {
      const dir = join(extensionsDir, entry.name);
      const toml = parse(readFileSync(join(dir, "shopify.extension.toml"), "utf8")) as ExtensionToml;
      return (toml.extensions ?? []).flatMap((extension) => {
        const targets = (extension.targeting ?? []).flatMap((t) => (t.target && t.module ? [{ target: t.target, module: t.module }] : []));
        if (!targets.length) return [];
        return [{ name: entry.name, dir, handle: extension.handle ?? entry.name, type: extension.type ?? "", apiVersion: toml.api_version ?? null, targets }];
      });
    });
}

/** Where a target's bundle lands: build/ui-extensions/<handle>/<target>.js, beside a copy of the locales. */
export function bundlePath(outDir: string, extension: Pick<UiExtension, "handle">, target: string): string {
  return join(outDir, extension.handle, `${target}.js`);
}

/**
 * Bundles each target's module into one ES module (Preact and the ui-extensions runtime included),
 * and copies the extension's locales beside it. Throws with every esbuild error when one fails.
 */
export async function buildUiExtensions({ root, outDir = join(root, "build/ui-extensions"), minify = true, appUrl = process.env.SHOPIFY_APP_URL, handles }: {
  root: string;
  outDir?: string;
  minify?: boolean;
  /** Only these extensions (by handle); every one when absent. */
  handles?: string[];
  /**
   * The app's URL, written into extensions that call the app from outside the admin (a customer
   * account block cannot read the app's settings at run time): `process.env.OSCAR_APP_URL` in their code.
   */
  appUrl?: string;
}): Promise<Array<{ extension: UiExtension; target: string; file: string; bytes: number }>> {
  const built: Array<{ extension: UiExtension; target: string; file: string; bytes: number }> = [];
  for (const extension of findUiExtensions(root).filter((found) => !handles || handles.includes(found.handle))) {
    rmSync(join(outDir, extension.handle), { recursive: true, force: true });
    for (const { target, module } of extension.targets) {
      const file = bundlePath(outDir, extension, target);
      const result = await build({
        entryPoints: [resolve(extension.dir, module)],
        bundle: true,
        format: "esm",
        platform: "browser",
        target: "es2020",
        minify,
        // Preact's JSX for the s-* web components, as Shopify's ui-extensions expect from 2025-10 on.
        jsx: "automatic",
        jsxImportSource: "preact",
        outfile: file,
        write: false,
        logLevel: "silent",
        legalComments: "none",
        define: { "process.env.OSCAR_APP_URL": JSON.stringify(appUrl ? new URL(appUrl).origin : "") },
      }).catch((error: Error) => {
        throw new Error(`Building UI extension ${extension.handle}, ${target} (${module}) failed: ${error.message}`);
      });
      mkdirSync(dirname(file), { recursive: true });
      const [output] = result.outputFiles;
      writeFileSync(file, output!.contents);
      built.push({ extension, target, file, bytes: output!.contents.byteLength });
    }
    const locales = join(extension.dir, "locales");
    if (existsSync(locales)) cpSync(locales, join(outDir, extension.handle, "locales"), { recursive: true });
  }
  return built;
}

// `tsx scripts/build-ui-extensions.ts`: the build step (npm run build runs it after Remix's).
if (import.meta.url === `file://${process.argv[1]}`) {
  const root = resolve(import.meta.dirname, "..");
  const built = await buildUiExtensions({ root });
  for (const { extension, target, file, bytes } of built) {
    console.log(`ui extension ${extension.handle} ${target} -> ${relative(root, file)} (${(bytes / 1024).toFixed(1)} KiB)`);
  }
  if (!built.length) console.log("no UI extensions with targets found under extensions/");
}
