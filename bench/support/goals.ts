/**
 * The one shape every benchmark reports in, so `npm run bench` can print every goal beside its figure,
 * write bench/README.md from the run, and exit non-zero when any goal is missed.
 *
 * A bench module exports `run(options)` returning a BenchReport and ends with
 * `await runIfMain(import.meta.url, run)`, so `npx tsx bench/<name>.ts [--quick]` runs it alone
 * with the same verdict.
 */
import { pathToFileURL } from "node:url";

export type BenchOptions = {
  /** The shorter form `.ci/run` runs: fewer samples, same goals. */
  quick: boolean;
};

export type Goal = {
  /** What is measured, in words a reader of bench/README.md understands. */
  name: string;
  figure: number;
  unit: string;
  /** The bound, as text: "≤ 25", "≥ 0.75 × reference". */
  goal: string;
  met: boolean;
};

export type BenchReport = {
  bench: string;
  goals: Goal[];
  /** Figures worth printing that carry no goal (a reference's own rate, a ratio kept for information). */
  info: string[];
};

export function atMost(name: string, figure: number, limit: number, unit: string): Goal {
  return { name, figure, unit, goal: `≤ ${limit}`, met: Number.isFinite(figure) && figure <= limit };
}

export function atLeast(name: string, figure: number, floor: number, unit: string): Goal {
  return { name, figure, unit, goal: `≥ ${floor}`, met: Number.isFinite(figure) && figure >= floor };
}

export function exactly(name: string, figure: number, expected: number, unit: string): Goal {
  return { name, figure, unit, goal: `= ${expected}`, met: figure === expected };
}

export function formatReport(report: BenchReport): string {
  const lines = [`## ${report.bench}`];
  for (const goal of report.goals) {
    lines.push(`${goal.met ? "ok  " : "MISS"}  ${goal.name}: ${formatFigure(goal.figure)} ${goal.unit} (goal ${goal.goal})`);
  }
  for (const line of report.info) lines.push(`      ${line}`);
  return lines.join("\n");
}

export function formatFigure(figure: number): string {
  if (!Number.isFinite(figure)) return String(figure);
  return Math.abs(figure) >= 100 ? figure.toFixed(0) : Number(figure.toPrecision(3)).toString();
}

export function missed(report: BenchReport): Goal[] {
  return report.goals.filter((goal) => !goal.met);
}

/** Runs the bench when its file is executed directly; exits 1 when a goal is missed. */
export async function runIfMain(moduleUrl: string, run: (options: BenchOptions) => Promise<BenchReport>): Promise<void> {
  if (!process.argv[1] || pathToFileURL(process.argv[1]).href !== moduleUrl) return;
  const report = await run({ quick: process.argv.includes("--quick") });
  console.log(formatReport(report));
  process.exit(missed(report).length ? 1 : 0);
}
