import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { CHROMIUM_PATH } from "./browser";

const DEBIAN_CHROMIUM = "/usr/bin/chromium";

/**
 * The browser tests drive Debian's Chromium: Playwright cannot download its own browsers on this
 * network. When it is missing and this process may install packages (root with apt-get, as on a
 * fresh CI or container machine), install it and say so; otherwise stop with what to install.
 */
export function ensureChromium(log: (line: string) => void): void {
  if (existsSync(CHROMIUM_PATH)) return;
  if (CHROMIUM_PATH !== DEBIAN_CHROMIUM) {
    throw new Error(`CHROMIUM_PATH is ${CHROMIUM_PATH}, which does not exist: point it at a Chromium binary, or unset it to use Debian's ${DEBIAN_CHROMIUM}.`);
  }
  if (!canInstallDebianPackages()) {
    throw new Error(`The browser tests need Chromium at ${DEBIAN_CHROMIUM}: install Debian's package (sudo apt-get install chromium), or set CHROMIUM_PATH to a Chromium binary.`);
  }
  log(`Chromium is missing at ${DEBIAN_CHROMIUM} and the browser tests need it (Playwright cannot download browsers here): running apt-get update && apt-get install -y chromium`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  execFileSync("apt-get", ["update", "-qq"], { stdio: ["ignore", "inherit", "inherit"], env });
  execFileSync("apt-get", ["install", "-y", "-qq", "chromium"], { stdio: ["ignore", "inherit", "inherit"], env });
  if (!existsSync(DEBIAN_CHROMIUM)) throw new Error(`apt-get installed chromium but ${DEBIAN_CHROMIUM} is still missing.`);
  log(`Chromium installed: ${DEBIAN_CHROMIUM}`);
}

function canInstallDebianPackages(): boolean {
  if (process.platform !== "linux" || process.getuid?.() !== 0) return false;
  try {
    execFileSync("apt-get", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}
