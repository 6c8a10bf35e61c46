// The Node the project runs on (>= 22.12, as `engines` says), found or brought.
// Plain JavaScript with no dependencies: it runs on whatever Node the machine has (Debian 12's 20
// included), before anything is installed or built.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { delimiter, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const REQUIRED = { major: 22, minor: 12 };

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const TOOLS_DIR = join(repoRoot, ".tools");

/** True when this Node version is one the project runs on. */
export function isProjectNode(version = process.versions.node) {
  const [major, minor] = version.split(".").map(Number);
  return major > REQUIRED.major || (major === REQUIRED.major && minor >= REQUIRED.minor);
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
    throw new Error(`This project needs Node ${REQUIRED.major}.${REQUIRED.minor} or later; install it (there is no Node ${REQUIRED.major} on the npm registry for ${process.platform}-${process.arch}).`);
  }
  const nodedir = join(TOOLS_DIR, "node_modules", name);
  const node = join(nodedir, "bin", "node");
  if (!existsSync(node)) {
    log(`Node ${process.versions.node} is older than the ${REQUIRED.major}.${REQUIRED.minor} this project needs: installing ${name}@^${REQUIRED.major}.${REQUIRED.minor} from the npm registry into .tools/ (once).`);
    // stdout carries npm's summary; keep it off ours so a caller's output stays its own.
    execFileSync("npm", ["install", "--prefix", TOOLS_DIR, "--no-audit", "--no-fund", `${name}@^${REQUIRED.major}.${REQUIRED.minor}.0`], {
      stdio: ["ignore", process.stderr, process.stderr],
    });
    if (!existsSync(node)) throw new Error(`npm installed ${name} but ${node} is missing.`);
  }
  return { binDir: join(nodedir, "bin"), nodedir, brought: true };
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
