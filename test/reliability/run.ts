/* eslint-disable no-console -- a reliability case prints its figures for people to read, like bench/ */
/**
 * `npm run test:reliability`: every reliability case, each a script of its own that prints its
 * figures and exits non-zero when one misses. The cases that mostly wait (on Oscar, on locks, on
 * Redis) run side by side; the rate-limit case, the fuzz run, the 60 s load and the scale-out run alone,
 * as they need the CPU.
 *
 *   RELIABILITY_SCALE=0.3 npx tsx test/reliability/run.ts [case ...]   (shorter local runs)
 */
import { spawn } from "node:child_process";
import { cpus } from "node:os";
import { resolve } from "node:path";

// The rate-limit case runs alone: it must keep Oscar's budget full in every minute, and beside the other
// cases its three workers were starved of CPU (280 of 285 in one minute at load 30), which measures the
// machine, not the limiter.
const STAGES = [["worker-kill", "redis-restart", "oscar-faults", "admin-throttle"], ["oscar-rate-limit"], ["webhook-fuzz"], ["ingest-load"], ["scale-out"]];
const only = new Set(process.argv.slice(2));
const started = Date.now();
const results: Array<{ name: string; ok: boolean; seconds: number; figures: string[] }> = [];

function runScript(name: string): Promise<void> {
  const caseStarted = Date.now();
  return new Promise((done) => {
    const child = spawn(process.execPath, [resolve("node_modules/tsx/dist/cli.mjs"), resolve(`test/reliability/${name}.ts`)], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("exit", (code) => {
      // Printed whole, once finished, so cases run side by side do not interleave.
      process.stdout.write(`${output.trimEnd()}\n\n`);
      results.push({ name, ok: code === 0, seconds: (Date.now() - caseStarted) / 1000, figures: output.split("\n").filter((l) => /^(PASS|FAIL) /.test(l)) });
      done();
    });
  });
}

console.log(`Reliability suite on ${cpus().length} cores (${cpus()[0]?.model ?? "?"}), Node ${process.version}, RELIABILITY_SCALE=${process.env.RELIABILITY_SCALE ?? 1}\n`);
for (const stage of STAGES) {
  const names = stage.filter((name) => only.size === 0 || only.has(name));
  await Promise.all(names.map(runScript));
}
const total = (Date.now() - started) / 1000;
console.log("Summary");
for (const r of results) console.log(`  ${r.ok ? "PASS" : "FAIL"}  ${r.name} (${r.seconds.toFixed(0)} s)`);
console.log(`Suite: ${results.filter((r) => r.ok).length}/${results.length} cases passed in ${total.toFixed(0)} s`);
// The plain closing line CI reads: "N passed, N failed".
console.log(`reliability: ${results.filter((r) => r.ok).length} passed, ${results.filter((r) => !r.ok).length} failed`);
process.exitCode = results.every((r) => r.ok) && results.length > 0 ? 0 : 1;
