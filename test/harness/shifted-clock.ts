import { resolve } from "node:path";

/**
 * The environment that starts a process (a worker) whose clock reads `at` now and then runs on at
 * the machine's pace (see shifted-clock-preload.mjs).
 */
export function clockStartingAt(at: Date): Record<string, string> {
  return { NODE_OPTIONS: `--import ${resolve("test/harness/shifted-clock-preload.mjs")}`, CLOCK_OFFSET_MS: String(at.getTime() - Date.now()) };
}
