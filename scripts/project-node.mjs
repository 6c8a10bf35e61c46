// The Node the project runs on (package.json `engines.node`), found or brought.
// Plain JavaScript with no dependencies: it runs on whatever Node the machine has (Debian 12's 20
// included), before anything is installed or built.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { delimiter, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const TOOLS_DIR = join(repoRoot, ".tools");

// One source of truth: the range the project's packages accept (vitest, lighthouse, shopify-api).
export const ENGINES_NODE = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")).engines.node;

/**
 * Whether a version is in an engines range. Understands what `engines.node` uses and nothing more:
 * alternatives joined by `||`, each `^x.y.z` (same major, at least x.y.z) or `>=x.y.z`.
 */
export function satisfies(version, range) {
  const [major, minor, patch] = version.split(".").map(Number);
  return range.split("||").some((alternative) => {
    const match = /^\s*(\^|>=)(\d+)(?:\.(\d+))?(?:\.(\d+))?\s*$/.exec(alternative);
    if (!match) throw new Error(`scripts/project-node.mjs cannot read the engines range "${range}"`);
    const [, operator, ...floor] = match;
    const [fMajor, fMinor, fPatch] = floor.map((part) => Number(part ?? 0));
    if (operator === "^" && major !== fMajor) return false;
    if (major !== fMajor) return major > fMajor;
    if (minor !== fMinor) return minor > fMinor;
    return patch >= fPatch;
  });
}

/** The version asked of the npm registry: the first (oldest) line the range accepts. */
function rangeToFetch(range) {
  return range.split("||")[0].trim();
}

/** True when this Node version is one the project runs on. */
export function isProjectNode(version = process.versions.node) {
  return satisfies(version, ENGINES_NODE);
}

// Node's own builds, republished on the npm registry (the one registry these machines reach).
function nodePackageName() {
  const os = { linux: "linux", darwin: "darwin" }[process.platform];
  const cpu = { x64: "x64", arm64: "arm64" }[process.arch];
  if (!os || !cpu) return undefined;
  return `node-${os}-${cpu}`;
}

/**
 * Where the project's Node lives: this process's own when it is recent enough (nothing is fetched),
 * otherwise Node 22 from the npm registry in .tools/, installed on first use.
 * `nodedir` is the folder with that Node's headers (`include/node`), for native modules.
 */
export function ensureProjectNode(log = (line) => process.stderr.write(`${line}\n`)) {
  if (isProjectNode()) return { binDir: dirname(process.execPath), nodedir: undefined, brought: false };
  const name = nodePackageName();
  if (!name) {
    throw new Error(`This project needs Node ${ENGINES_NODE}: install one (the npm registry has no Node build for ${process.platform}-${process.arch}).`);
  }
  const nodedir = join(TOOLS_DIR, "node_modules", name);
  const node = join(nodedir, "bin", "node");
  // A Node brought earlier (or by scripts/node22.sh) is kept while it still satisfies engines.
  if (!existsSync(node) || !satisfies(installedVersion(nodedir), ENGINES_NODE)) {
    log(`Node ${process.versions.node} is not one this project runs on (${ENGINES_NODE}): installing ${name}@${rangeToFetch(ENGINES_NODE)} from the npm registry into .tools/ (once).`);
    // stdout carries npm's summary; keep it off ours so a caller's output stays its own.
    execFileSync("npm", ["install", "--prefix", TOOLS_DIR, "--no-audit", "--no-fund", `${name}@${rangeToFetch(ENGINES_NODE)}`], {
      stdio: ["ignore", process.stderr, process.stderr],
    });
    if (!existsSync(node) || !satisfies(installedVersion(nodedir), ENGINES_NODE)) {
      throw new Error(`npm installed ${name} but ${node} is missing or not ${ENGINES_NODE}.`);
    }
  }
  return { binDir: join(nodedir, "bin"), nodedir, brought: true };
}

function installedVersion(packageDir) {
  try {
    return JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")).version;
  } catch {
    return "0.0.0";
  }
}

/**
 * The environment a command needs to run under the project's Node: its bin first on PATH, so
 * `node`, `npm` and every `#!/usr/bin/env node` tool (tsx, vitest, prisma) start it, and its headers
 * as npm's nodedir, so node-gyp builds native modules for it (the machine's npm config may point
 * nodedir at the system Node's headers).
 */
export function projectNodeEnv(env = process.env, log) {
  const { binDir, nodedir } = ensureProjectNode(log);
  if (!nodedir) return env;
  return { ...env, PATH: `${binDir}${delimiter}${env.PATH ?? ""}`, npm_config_nodedir: nodedir };
}
