/**
 * One bench in a process of its own, for `npm run bench`: imports the module, calls its `run`, and
 * writes the report as JSON where the runner asked, so one bench's memory, timers and sockets never
 * weigh on the next.
 *
 *   node --import tsx bench/support/run-one.ts <bench file> <report.json> [--quick]
 */
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { formatReport, type BenchOptions, type BenchReport } from "./goals";

const [file, reportPath] = process.argv.slice(2);
if (!file || !reportPath) throw new Error("usage: run-one.ts <bench file> <report.json> [--quick]");

const module = (await import(pathToFileURL(resolve(file)).href)) as { run?: (options: BenchOptions) => Promise<BenchReport> };
if (typeof module.run !== "function") throw new Error(`${file} exports no run(options)`);
const report = await module.run({ quick: process.argv.includes("--quick") });
console.log(formatReport(report));
writeFileSync(reportPath, JSON.stringify(report));
// A bench that leaves a handle open (a socket, an interval) must not hold the runner.
process.exit(0);
