import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import type { TestProject } from "vitest/node";

/**
 * Once per test run: a fresh folder for this run's databases, a migrated template database that
 * each test file copies, and a Redis key prefix no other run shares.
 */
export default function setup(project: TestProject) {
  const runId = `${Date.now().toString(36)}-${process.pid}`;
  const runDir = resolve(".cache/test-runs", runId);
  mkdirSync(runDir, { recursive: true });

  const templateDb = join(runDir, "template.sqlite");
  execFileSync(process.execPath, [resolve("node_modules/prisma/build/index.js"), "migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: `file:${templateDb}`, PRISMA_HIDE_UPDATE_MESSAGE: "1" },
    stdio: "pipe",
  });

  if (!existsSync("build/server/index.js")) {
    execFileSync(process.execPath, [resolve("node_modules/@remix-run/dev/dist/cli.js"), "vite:build"], { stdio: "inherit" });
  }

  project.provide("runId", runId);
  project.provide("runDir", runDir);
  project.provide("templateDb", templateDb);

  return () => {
    if (!process.env.KEEP_TEST_FILES) rmSync(runDir, { recursive: true, force: true });
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    runId: string;
    runDir: string;
    templateDb: string;
  }
}
