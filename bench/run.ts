/**
 * `npm run bench`: every benchmark in bench/*.ts that exports `run`, each in a child process of its
 * own, every goal printed beside its figure; exits 1 when any goal is missed or any bench crashes.
 *
 *   npm run bench                       the full run; writes bench/README.md
 *   npm run bench -- --quick            CI's short form (fewer samples, same goals); writes
 *                                       .cache/bench/README.quick.md unless --write is given
 *   npm run bench -- --only ingest      one bench (repeatable); writes only under .cache/bench/
 *   npm run bench -- --write            write bench/README.md whatever the mode
 *   npm run bench -- --skip ingest      leave one bench out (repeatable), named in the output as left out
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { basename, resolve } from "node:path";
import { formatReport, missed, type BenchReport } from "./support/goals";
import { describeMachine } from "./support/machine";
import { renderRun, replaceGenerated, type BenchOutcome } from "./support/readme";
import { ensureChromium } from "../test/harness/chromium";

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const only = args.flatMap((arg, i) => (arg === "--only" && args[i + 1] ? [args[i + 1]!.replace(/\.ts$/, "")] : []));
const write = args.includes("--write");
const skip = args.flatMap((arg, i) => (arg === "--skip" && args[i + 1] ? [args[i + 1]!.replace(/\.ts$/, "")] : []));
// A hung bench is a crash, not a wait without end: far above each bench's own length.
const benchTimeoutMs = (quick ? 4 : 30) * 60_000;

type BenchModule = { name: string; file: string; about: string; usesBrowser: boolean };

/** Bench modules are found by reading, not importing: an unconverted bench runs when imported. */
function discoverBenches(): { runnable: BenchModule[]; skipped: string[] } {
  const runnable: BenchModule[] = [];
  const skipped: string[] = [];
  for (const entry of readdirSync(resolve("bench")).filter((f) => f.endsWith(".ts") && f !== "run.ts").sort()) {
    const file = resolve("bench", entry);
    const name = basename(entry, ".ts");
    const source = readFileSync(file, "utf8");
    const exportsRun = /^export\s+(async\s+function\s+run\b|function\s+run\b|const\s+run\b)/m.test(source);
    if (!exportsRun) skipped.push(`${name} (no run export yet)`);
    else if (only.length && !only.includes(name)) skipped.push(`${name} (not in --only)`);
    else if (skip.includes(name)) skipped.push(`${name} (left out with --skip: its goals are not checked in this run)`);
    else runnable.push({ name, file, about: docComment(source), usesBrowser: /harness\/browser|chromium/i.test(source) });
  }
  return { runnable, skipped };
}

/** The module's first doc comment, as markdown: its hand-written explanation of what it measures and why. */
function docComment(source: string): string {
  const match = /\/\*\*([\s\S]*?)\*\//.exec(source);
  if (!match) return "";
  const lines = match[1]!.split("\n").map((line) => line.replace(/^\s*\* ?/, ""));
  // Indented lines are commands: keep them apart from the prose.
  return lines
    .map((line) => (/^\s{2,}\S/.test(line) ? `\n\`${line.trim()}\`\n` : line))
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

function runBench(bench: BenchModule): Promise<BenchOutcome> {
  const reportPath = resolve(".cache/bench", `report-${bench.name}-${process.pid}.json`);
  rmSync(reportPath, { force: true });
  const started = Date.now();
  console.log(`\n=== ${bench.name}${quick ? " (quick)" : ""}`);
  // Its own process group, so a crash or a timeout also ends the servers the bench started.
  const child = spawn(process.execPath, ["--import", "tsx", resolve("bench/support/run-one.ts"), bench.file, reportPath, ...(quick ? ["--quick"] : [])], {
    stdio: "inherit",
    detached: true,
  });
  const killGroup = () => {
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      // Already gone.
    }
  };
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup();
  }, benchTimeoutMs);
  return new Promise((done) => {
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      killGroup();
      const seconds = (Date.now() - started) / 1000;
      let report: BenchReport;
      if (existsSync(reportPath)) {
        report = JSON.parse(readFileSync(reportPath, "utf8")) as BenchReport;
        rmSync(reportPath, { force: true });
      } else {
        const why = timedOut ? `still running after ${benchTimeoutMs / 60_000} min` : `exited ${code ?? signal} without a report`;
        report = { bench: bench.name, goals: [{ name: `ran to the end (${why})`, figure: NaN, unit: "", goal: "= finished", met: false }], info: [] };
        console.log(formatReport(report));
      }
      done({ name: bench.name, about: bench.about, seconds, report });
    });
  });
}

const startedAt = new Date();
mkdirSync(resolve(".cache/bench"), { recursive: true });
const machine = await describeMachine();
const { runnable, skipped } = discoverBenches();
if (only.length && runnable.length !== only.length) {
  console.error(`--only names no runnable bench for: ${only.filter((n) => !runnable.some((b) => b.name === n)).join(", ")}`);
  process.exit(2);
}
// Benches that drive Chromium get it installed on a fresh machine, as the tests do.
if (runnable.some((bench) => bench.usesBrowser)) ensureChromium((line) => console.log(line));
console.log(`Benchmarks (${quick ? "quick" : "full"}): ${runnable.map((b) => b.name).join(", ")}${skipped.length ? `; not run: ${skipped.join(", ")}` : ""}`);

const outcomes: BenchOutcome[] = [];
for (const bench of runnable) outcomes.push(await runBench(bench));
machine.loadAtEnd = loadavg()[0];

const summary = { mode: quick ? ("quick" as const) : ("full" as const), startedAt, seconds: (Date.now() - startedAt.getTime()) / 1000, machine, outcomes, skipped };
console.log(`\n=== Summary (${summary.mode}, ${Math.round(summary.seconds)} s)`);
for (const outcome of outcomes) console.log(formatReport(outcome.report));

// A quick or partial run must never silently replace the full figures in the committed README.
const readmePath = write || (!quick && only.length === 0 && skip.length === 0) ? resolve("bench/README.md") : resolve(".cache/bench", quick ? "README.quick.md" : "README.partial.md");
const existing = existsSync(readmePath) ? readFileSync(readmePath, "utf8") : "";
writeFileSync(readmePath, replaceGenerated(existing, renderRun(summary)));
console.log(`\nWrote ${readmePath}`);

const misses = outcomes.flatMap((o) => missed(o.report).map((g) => `${o.name}: ${g.name}`));
if (misses.length) console.log(`\n${misses.length} goal(s) missed:\n  ${misses.join("\n  ")}`);
process.exit(misses.length ? 1 : 0);
