import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { runOnServer } from "../app/db/adapter.server";
import { ensureAdminSchemaFile } from "../sim/shopify-admin/schema";
import { buildUiExtensions } from "../scripts/build-ui-extensions";
import { ensureChromium } from "./harness/chromium";
import {
  postgresDatabaseUrl,
  testDatabaseName,
  testDatabasePrefix,
  testDatabaseProvider,
  testPostgresServerUrl,
  type TestDatabaseProvider,
} from "./harness/database-provider";
import { migrateDatabase } from "./harness/scratch-database";

/**
 * Once per test run: what a fresh machine still lacks (Chromium, Shopify's Admin schema), a fresh
 * folder for this run's files, a migrated template database that each test file copies (a SQLite
 * file, or a PostgreSQL database with TEST_DATABASE=postgresql), and a Redis key prefix no other run
 * shares.
 */
export default async function setup(project: TestProject) {
  ensureChromium((line) => process.stderr.write(`${line}\n`));
  // Fetched once here (npm install also does): test files loading it in parallel would each download it.
  await ensureAdminSchemaFile();

  const runId = `${Date.now().toString(36)}-${process.pid}`;
  const runDir = resolve(".cache/test-runs", runId);
  mkdirSync(runDir, { recursive: true });
  const provider = testDatabaseProvider();
  const serverUrl = testPostgresServerUrl();

  let templateDb: string;
  let templateUrl: string;
  if (provider === "postgresql") {
    templateDb = testDatabaseName(runId, "template");
    await runOnServer(serverUrl, `CREATE DATABASE "${templateDb}"`);
    templateUrl = postgresDatabaseUrl(serverUrl, templateDb);
  } else {
    templateDb = join(runDir, "template.sqlite");
    templateUrl = `file:${templateDb}`;
  }
  migrateDatabase(templateUrl);

  if (!existsSync("build/server/index.js")) {
    execFileSync(process.execPath, [resolve("node_modules/@remix-run/dev/dist/cli.js"), "vite:build"], { stdio: "inherit" });
  }
  // Always: a second or so, and the browser tests must render the extensions' current source.
  await buildUiExtensions({ root: resolve(".") });

  project.provide("runId", runId);
  project.provide("runDir", runDir);
  project.provide("templateDb", templateDb);
  project.provide("databaseProvider", provider);
  project.provide("postgresServerUrl", serverUrl);

  return async () => {
    if (process.env.KEEP_TEST_FILES) return;
    rmSync(runDir, { recursive: true, force: true });
    if (provider === "postgresql") await dropRunDatabases(serverUrl, testDatabasePrefix(runId));
  };
}

async function dropRunDatabases(serverUrl: string, prefix: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>("SELECT datname FROM pg_database WHERE starts_with(datname, $1)", [prefix]);
    for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

declare module "vitest" {
  export interface ProvidedContext {
    runId: string;
    runDir: string;
    /** The SQLite template file, or the PostgreSQL template database's name. */
    templateDb: string;
    databaseProvider: TestDatabaseProvider;
    postgresServerUrl: string;
  }
}
