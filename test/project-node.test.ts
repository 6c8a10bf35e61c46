import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { ENGINES_NODE, satisfies } from "../scripts/project-node.mjs";
import packageJson from "../package.json";

// The machine's own Node, as a new user's shell finds it (Debian 12's is 20).
const SYSTEM_NODE = "/usr/bin/node";
const systemNodeVersion = existsSync(SYSTEM_NODE) ? spawnSync(SYSTEM_NODE, ["-p", "process.versions.node"], { encoding: "utf8" }).stdout.trim() : undefined;
const systemNodeTooOld = systemNodeVersion !== undefined && !satisfies(systemNodeVersion, ENGINES_NODE);
const USER_ENV = { PATH: "/usr/local/bin:/usr/bin:/bin", HOME: process.env.HOME } as unknown as NodeJS.ProcessEnv;

/** `node scripts/with-node.mjs …` started by the system Node, the way npm starts every project script. */
function withNode(args: string[]) {
  const child = spawn(SYSTEM_NODE, [resolve("scripts/with-node.mjs"), ...args], { env: USER_ENV, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => child.once("exit", (code, signal) => done({ code, signal })));
  return { child, exited, output: () => output };
}

describe("the Node the project runs on", () => {
  it("is the range package.json declares in engines", () => {
    expect(ENGINES_NODE).toBe(packageJson.engines.node);
  });

  // Expected answers from npm's semver rules: ^22.19.0 means >=22.19.0 <23.0.0, and so on.
  it.each([
    ["20.20.2", false], // Debian 12's Node
    ["22.12.0", false], // enough for vitest, not for lighthouse (>=22.19)
    ["22.18.9", false],
    ["22.19.0", true],
    ["22.23.5", true],
    ["23.11.0", false], // vitest 5 does not support 23
    ["24.0.0", true],
    ["25.2.1", false],
    ["26.0.0", true],
    ["27.3.1", true],
  ])("Node %s satisfies %s: %s", (version, expected) => {
    expect(satisfies(version, ENGINES_NODE)).toBe(expected);
  });

  it("refuses a range it cannot read rather than guessing", () => {
    expect(() => satisfies("22.19.0", "~22.19")).toThrow(/cannot read the engines range "~22.19"/);
  });
});

describe.skipIf(!systemNodeTooOld)(`npm scripts on this machine's Node ${systemNodeVersion}`, () => {
  it("run under the project's Node, with its headers for native modules", async () => {
    const run = withNode(["node", "-p", "[process.versions.node, process.env.npm_config_nodedir].join(' ')"]);
    expect(await run.exited).toEqual({ code: 0, signal: null });
    const [version, nodedir] = run.output().trim().split(" ");
    expect(satisfies(version, ENGINES_NODE)).toBe(true);
    expect(existsSync(join(nodedir, "include", "node", "node_version.h"))).toBe(true);
  });

  it("keep the project's Node in a nested npm command", async () => {
    // `npm exec -c` runs a shell command as `npm run` runs a script: PATH rebuilt by npm, node looked up on it.
    const run = withNode(["npm", "exec", "--offline", "-c", "node -p process.versions.node"]);
    expect(await run.exited).toEqual({ code: 0, signal: null });
    expect(satisfies(run.output().trim(), ENGINES_NODE)).toBe(true);
  });

  it("report the command's exit code", async () => {
    const run = withNode(["sh", "-c", "exit 3"]);
    expect(await run.exited).toEqual({ code: 3, signal: null });
  });

  it("pass a stop signal on to the command, which stops cleanly", async () => {
    const run = withNode(["sh", "-c", "trap 'echo stopping; exit 0' TERM; echo ready; while :; do sleep 0.1; done"]);
    await new Promise<void>((ready) => run.child.stdout.on("data", () => run.output().includes("ready") && ready()));
    run.child.kill("SIGTERM");
    expect(await run.exited).toEqual({ code: 0, signal: null });
    expect(run.output()).toContain("stopping");
  });

  it("say which command could not start", async () => {
    const run = withNode(["no-such-command-here"]);
    expect(await run.exited).toEqual({ code: 127, signal: null });
    expect(run.output()).toContain("Could not start no-such-command-here");
  });
});
