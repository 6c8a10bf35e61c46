/**
 * Which test files use the run's test database. `npm test` runs the suite on SQLite files and then
 * on PostgreSQL; a file that never asks for a test database (a browser test of the storefront, the
 * sandbox, which keeps a SQLite file of its own, a pure function's unit test) would only repeat the
 * SQLite run's result, so the PostgreSQL run leaves it out (vitest.config.ts).
 *
 * Every test database comes from test/harness/database.ts (or scratch-database.ts), so a file uses
 * one when its imports reach either. Imports are read, not run: the config must not load the app.
 * freshDatabase checks the file it is called from by the same rule, so a file that reaches the
 * database another way (a computed dynamic import) fails in the SQLite run instead of going
 * untested on PostgreSQL.
 *
 * No dependencies beyond Node's own: vitest.config.ts loads this before anything else.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const DATABASE_HARNESS = ["test/harness/database.ts", "test/harness/scratch-database.ts"];

/** Relative specifiers of every static import, re-export, side-effect import and literal dynamic import. */
const IMPORT = /\bfrom\s*["'](\.{1,2}\/[^"']+)["']|\bimport\s*\(\s*["'](\.{1,2}\/[^"']+)["']\s*\)|\bimport\s+["'](\.{1,2}\/[^"']+)["']/g;

function resolveImport(fromFile: string, specifier: string): string | null {
  const base = resolve(dirname(fromFile), specifier);
  // TypeScript's rules for what the repo uses: no extension, .js meaning .ts, or a folder's index.
  const candidates = [base, `${base}.ts`, `${base}.tsx`, `${base}.mjs`, base.replace(/\.js$/, ".ts"), join(base, "index.ts")];
  return candidates.find((file) => existsSync(file) && statSync(file).isFile()) ?? null;
}

/** Whether a file's imports, followed through the repo's own modules, reach the database harness. */
export function reachesTheDatabase(file: string, root: string, seen = new Set<string>()): boolean {
  const absolute = resolve(root, file);
  if (seen.has(absolute)) return false;
  seen.add(absolute);
  if (DATABASE_HARNESS.some((harness) => absolute === resolve(root, harness))) return true;
  const source = readFileSync(absolute, "utf8");
  for (const match of source.matchAll(IMPORT)) {
    const imported = resolveImport(absolute, (match[1] ?? match[2] ?? match[3])!);
    if (imported && !imported.includes("/node_modules/") && reachesTheDatabase(imported, root, seen)) return true;
  }
  return false;
}

/** Every `*.test.ts` under the folders the suite's include globs name (each of the form `<folder>/**\/*.test.ts`). */
export function testFiles(include: string[], root: string): string[] {
  return include.flatMap((glob) => {
    const folder = /^([\w-]+)\/\*\*\/\*\.test\.ts$/.exec(glob)?.[1];
    if (!folder) throw new Error(`database-test-files reads include globs of the form <folder>/**/*.test.ts, not ${glob}`);
    if (!existsSync(resolve(root, folder))) return [];
    return (readdirSync(resolve(root, folder), { recursive: true }) as string[])
      .filter((path) => path.endsWith(".test.ts") && !path.split("/").includes("node_modules"))
      .map((path) => relative(root, resolve(root, folder, path)))
      .sort();
  });
}

/** The test files the PostgreSQL run leaves out: those that never ask for a test database. */
export function testFilesWithoutTheDatabase(include: string[], root: string): string[] {
  return testFiles(include, root).filter((file) => !reachesTheDatabase(file, root));
}
