import { resolve } from "node:path";

/**
 * Node's flags for the worker process, wherever it starts: `npm run worker` (package.json, checked
 * by test/worker-launch.test.ts), the sandbox, the tests and the benches.
 *
 * `--heap-growing-percent=50`: after each full collection V8 lets the old generation grow to 1.5 times
 * what survived, instead of up to 4 times when collections are cheap. Reading a 10,000-product
 * catalogue promotes about 55 MB of short-lived objects (--trace-gc) while the live heap stays near
 * 48 MB, and V8 left that garbage in place until the sync was over: resident peaks of 223-280 MB in
 * 10 runs on 2026-12-07 (223-257 after the catalogue-line fix) against bench/knowledge-sync.ts's 255 MB goal. With the flag: 214, 217, 225 and
 * 241 MB in 4 runs (idle 159-183), and worker-throughput read 0.684 (SQLite) and 0.664 (PostgreSQL)
 * of its reference worker, within the spread of runs without it (0.658-0.797, 4 runs). `--optimize-for-size`
 * held the peak at 165 MB but cut the worker's events/s by about 40 %: rejected.
 */
export const WORKER_NODE_FLAGS = ["--heap-growing-percent=50"] as const;

/** The arguments to `node` that start the worker as one process (tsx loaded in it, not as a CLI parent). */
export function workerNodeArgs(): string[] {
  return [...WORKER_NODE_FLAGS, "--import", "tsx", resolve("workers/index.ts")];
}
