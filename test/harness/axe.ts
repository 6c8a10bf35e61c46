import axe from "axe-core";
import type { Page } from "playwright-core";

/**
 * axe-core, injected into a page as its own script, checks the page as Chromium rendered it against
 * WCAG 2.0/2.1 level A and AA. A violation is reported with its rule id, the element (CSS target)
 * and axe's help text, so a failing test says what to fix and where.
 */

export const WCAG_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/**
 * A violation this app cannot fix from outside (it comes from a library's own markup), accepted for
 * exactly one rule on exactly one element, with the reason next to it.
 */
export type KnownViolation = { rule: string; target: string; why: string };

export type AxeFinding = { rule: string; impact: string | null; target: string; help: string; helpUrl: string };

type AxeResultsLite = { violations: Array<{ id: string; impact?: string | null; help: string; helpUrl: string; nodes: Array<{ target: unknown[] }> }> };

/** Every WCAG A/AA violation on the page now, one entry per element, minus the known ones. */
export async function findAccessibilityViolations(page: Page, known: KnownViolation[] = []): Promise<AxeFinding[]> {
  const injected = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe !== "undefined");
  if (!injected) await page.addScriptTag({ content: axe.source });
  const results = await page.evaluate(async (tags) => {
    const run = (window as unknown as { axe: { run: (context: Document, options: unknown) => Promise<unknown> } }).axe.run;
    return run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] });
  }, WCAG_AA_TAGS) as AxeResultsLite;
  return results.violations
    .flatMap((v) => v.nodes.map((node) => ({ rule: v.id, impact: v.impact ?? null, target: node.target.map(String).join(" "), help: v.help, helpUrl: v.helpUrl })))
    .filter((finding) => !known.some((k) => k.rule === finding.rule && k.target === finding.target));
}

/** One line per violation: `rule-id at <target>: help (helpUrl)`. */
export function describeViolations(findings: AxeFinding[]): string {
  return findings.map((f) => `${f.rule} (${f.impact ?? "?"}) at ${f.target}: ${f.help} (${f.helpUrl})`).join("\n");
}
