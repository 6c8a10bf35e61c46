import { formatFigure, type BenchReport } from "./goals";
import type { Machine } from "./machine";

/** One bench's outcome in a run: its report, or why there is none (a crash counts as a missed goal). */
export type BenchOutcome = { name: string; about: string; seconds: number; report: BenchReport };

export type RunSummary = { mode: "full" | "quick"; startedAt: Date; seconds: number; machine: Machine; outcomes: BenchOutcome[]; skipped: string[] };

export const GENERATED_BEGIN = "<!-- bench:begin: written by `npm run bench` from its run; edit the benches' doc comments instead -->";
export const GENERATED_END = "<!-- bench:end -->";

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

/** The generated part of bench/README.md: every goal beside its figure, with each bench's own explanation. */
export function renderRun(run: RunSummary): string {
  const { machine } = run;
  const misses = run.outcomes.flatMap((o) => o.report.goals.filter((g) => !g.met).map((g) => `${o.name}: ${g.name}`));
  const lines = [
    GENERATED_BEGIN,
    "# Benchmarks: latest figures",
    "",
    `Written by \`npm run bench${run.mode === "quick" ? " -- --quick" : ""}\` on ${run.startedAt.toISOString().slice(0, 16).replace("T", " ")} UTC ` +
      `(**${run.mode} run**${run.mode === "quick" ? ": fewer samples, same goals; not the figures to quote" : ""}), commit ${machine.commit}, in ${Math.round(run.seconds)} s.`,
    "",
    `Machine: ${machine.cores} cores (${machine.cpuModel}), ${machine.memoryGb} GB, Node ${machine.node}, Redis ${machine.redis}, ` +
      `PostgreSQL ${machine.postgresql}, SQLite embedded. Load average (1 min) ${machine.loadAtStart.toFixed(1)} at the start and ` +
      `${machine.loadAtEnd?.toFixed(1) ?? "?"} at the end: ${loadNote(machine)}`,
    "",
    misses.length ? `**${misses.length} goal(s) missed**: ${misses.join("; ")}.` : "Every goal met.",
    "",
    "| bench | goal | figure | verdict |",
    "| --- | --- | --- | --- |",
    ...run.outcomes.flatMap((o) => o.report.goals.map((g) => `| ${o.name} | ${cell(g.name)} ${g.goal} ${g.unit} | ${formatFigure(g.figure)} ${g.unit} | ${g.met ? "met" : "**MISSED**"} |`)),
    "",
  ];
  if (run.skipped.length) lines.push(`Not run: ${run.skipped.join(", ")}.`, "");
  for (const outcome of run.outcomes) {
    lines.push(`## ${outcome.name} (${Math.round(outcome.seconds)} s)`, "", outcome.about || "(no doc comment)", "");
    lines.push(`Alone: \`npx tsx bench/${outcome.name}.ts${run.mode === "quick" ? " --quick" : ""}\`, or \`npm run bench -- --only ${outcome.name}\`.`, "");
    lines.push("| goal | figure | verdict |", "| --- | --- | --- |");
    for (const g of outcome.report.goals) lines.push(`| ${cell(g.name)} ${g.goal} ${g.unit} | ${formatFigure(g.figure)} ${g.unit} | ${g.met ? "met" : "**MISSED**"} |`);
    if (outcome.report.info.length) lines.push("", ...outcome.report.info.map((line) => `- ${line}`));
    lines.push("");
  }
  lines.push(GENERATED_END);
  return lines.join("\n");
}

function loadNote(machine: Machine): string {
  const busy = Math.max(machine.loadAtStart, machine.loadAtEnd ?? 0) > machine.cores;
  return busy
    ? "**the machine was shared and loaded during this run** (more runnable processes than cores); absolute figures are pessimistic, ratios against same-run references less so."
    : "the machine was about idle apart from this run.";
}

/** Replaces the generated part of an existing README, keeping whatever was written by hand around it. */
export function replaceGenerated(existing: string, generated: string): string {
  const begin = existing.indexOf("<!-- bench:begin");
  const end = existing.indexOf(GENERATED_END);
  if (begin < 0 || end < begin) return `${generated}\n\n${existing}`.trimEnd() + "\n";
  return `${existing.slice(0, begin)}${generated}${existing.slice(end + GENERATED_END.length)}`;
}
