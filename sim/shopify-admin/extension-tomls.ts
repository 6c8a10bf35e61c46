import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "smol-toml";

/**
 * Every extension folder's shopify.extension.toml under an app's extensions/, parsed, with the
 * folder's name: what Shopify knows of the deployed app version. Callers pick the types they read.
 */
export function readExtensionTomls<Toml>(extensionsDir: string): Array<{ dir: string; toml: Toml }> {
  if (!existsSync(extensionsDir)) return [];
  return readdirSync(extensionsDir).flatMap((dir) => {
    const file = join(extensionsDir, dir, "shopify.extension.toml");
    return existsSync(file) ? [{ dir, toml: parse(readFileSync(file, "utf8")) as Toml }] : [];
  });
}
