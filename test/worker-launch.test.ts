import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { WORKER_NODE_FLAGS, workerNodeArgs } from "../workers/launch";

// The tests, the sandbox and the benches start the worker with workerNodeArgs(); production starts it
// with `npm run worker`. A flag in one and not the other would measure a worker nobody runs.
describe("the worker's Node flags", () => {
  it("are the same in `npm run worker` as in every process the project starts itself", () => {
    const { scripts } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { scripts: Record<string, string> };
    expect(scripts.worker).toBe(`node scripts/with-node.mjs node ${WORKER_NODE_FLAGS.join(" ")} --import tsx workers/index.ts`);
    expect(workerNodeArgs().slice(0, WORKER_NODE_FLAGS.length)).toEqual([...WORKER_NODE_FLAGS]);
    expect(workerNodeArgs().at(-1)).toMatch(/workers\/index\.ts$/);
  });

  it("are flags this Node accepts", async () => {
    const { execFileSync } = await import("node:child_process");
    // An unknown flag would stop the worker at start ("bad option"); this fails first.
    const out = execFileSync(process.execPath, [...WORKER_NODE_FLAGS, "-e", `console.log(process.execArgv.slice(0, ${WORKER_NODE_FLAGS.length}).join(" "))`], { encoding: "utf8" });
    expect(out.trim()).toBe(WORKER_NODE_FLAGS.join(" "));
  });
});
