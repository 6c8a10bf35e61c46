import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freshDatabase } from "./harness/database";
import { reachesTheDatabase, testFiles, testFilesWithoutTheDatabase } from "./harness/database-test-files";

describe("which test files the PostgreSQL run keeps", () => {
  const root = mkdtempSync(join(tmpdir(), "database-test-files-"));
  const write = (path: string, source: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), source);
  };
  write("test/harness/database.ts", "export const freshDatabase = () => {};\n");
  write("test/harness/stack.ts", 'import { freshDatabase } from "./database";\nexport const start = freshDatabase;\n');
  write("test/harness/browser.ts", 'export * from "./util.js";\n');
  write("test/harness/util.ts", "export const x = 1;\n");
  write("test/through-a-harness.test.ts", 'import { start } from "./harness/stack";\n');
  write("test/re-exported.test.ts", 'export { start } from "./harness/stack.js";\n');
  write("test/dynamic.test.ts", 'const stack = await import("./harness/stack");\n');
  write("test/browser-only.test.ts", 'import { x } from "./harness/browser";\nimport { describe } from "vitest";\n');
  write("test/cycle-a.test.ts", 'import "./cycle-b";\n');
  write("test/cycle-b.ts", 'import "./cycle-a.test";\n');
  write("app/pure.test.ts", 'import { y } from "../test/harness/util";\n');
  write("app/node_modules/x/y.test.ts", "\n");
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const include = ["app/**/*.test.ts", "test/**/*.test.ts", "sim/**/*.test.ts"];

  it("keeps a file whose imports reach the database harness, through harnesses, re-exports and literal dynamic imports", () => {
    expect(["test/through-a-harness.test.ts", "test/re-exported.test.ts", "test/dynamic.test.ts"].map((file) => reachesTheDatabase(file, root))).toEqual([true, true, true]);
  });

  it("leaves out the files that never reach it, following import cycles to their end", () => {
    expect(testFiles(include, root)).toEqual([
      "app/pure.test.ts",
      "test/browser-only.test.ts",
      "test/cycle-a.test.ts",
      "test/dynamic.test.ts",
      "test/re-exported.test.ts",
      "test/through-a-harness.test.ts",
    ]);
    expect(testFilesWithoutTheDatabase(include, root)).toEqual(["app/pure.test.ts", "test/browser-only.test.ts", "test/cycle-a.test.ts"]);
  });

  it("reads the project's own files: its database tests are kept, the storefront's browser tests and the sandbox's are not", () => {
    const project = process.cwd();
    expect(["test/oscar-ingest.test.ts", "test/healthz.test.ts", "app/services/data-exports.server.test.ts"].map((file) => reachesTheDatabase(file, project))).toEqual([true, true, true]);
    expect(["test/storefront/storefront-browser.test.ts", "test/sandbox.test.ts", "sim/oscar/server.test.ts"].map((file) => reachesTheDatabase(file, project))).toEqual([false, false, false]);
  });

  it("refuses a test database to a file the PostgreSQL run would leave out", async () => {
    const { testPath } = expect.getState();
    expect.setState({ testPath: join(root, "test/browser-only.test.ts") });
    try {
      await expect(freshDatabase("left-out")).rejects.toThrow(/browser-only\.test\.ts uses a test database, but its imports do not reach test\/harness\/database\.ts/);
    } finally {
      expect.setState({ testPath });
    }
  });
});
