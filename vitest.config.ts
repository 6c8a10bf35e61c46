// Kept apart from vite.config.ts so the Remix plugin never loads under vitest.
import { fileURLToPath } from "node:url";
import { configDefaults, defineConfig } from "vitest/config";
import { ENGINES_NODE, satisfies } from "./scripts/project-node.mjs";
import { testDatabaseProvider } from "./test/harness/database-provider";
import { testFilesWithoutTheDatabase } from "./test/harness/database-test-files";

// `npx vitest` uses the shell's Node; on an older one vitest's own error reporter crashes (Map.groupBy).
if (!satisfies(process.versions.node, ENGINES_NODE)) {
  throw new Error(`Node ${process.versions.node} cannot run these tests (they need ${ENGINES_NODE}): run them through npm, e.g. npm run test:sqlite -- <file>, which brings that Node, or source scripts/node22.sh first.`);
}

const include = ["app/**/*.test.ts", "test/**/*.test.ts", "sim/**/*.test.ts", "workers/**/*.test.ts", "extensions/**/*.test.ts"];

export default defineConfig({
  test: {
    include,
    // The PostgreSQL run is for what touches the database: a file that never asks for a test database
    // would repeat the SQLite run's result (test/harness/database-test-files.ts).
    exclude: [...configDefaults.exclude, ...(testDatabaseProvider() === "postgresql" ? testFilesWithoutTheDatabase(include, fileURLToPath(new URL(".", import.meta.url))) : [])],
    globalSetup: ["test/global-setup.ts"],
    // Tests talk to real Redis, real SQLite files and real local HTTP servers: give them room.
    // Safety nets only (tests wait for events): a loaded machine can take over 20 s to start one process.
    testTimeout: 90_000,
    hookTimeout: 180_000,
    // Two cores: run files in parallel but not so many that servers starve each other.
    maxWorkers: 2,
    pool: "forks",
  },
});
