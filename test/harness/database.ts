import { copyFileSync } from "node:fs";
import { join } from "node:path";
import type { PrismaClient } from "@prisma/client";
import { expect, inject } from "vitest";
import { runOnServer } from "../../app/db/adapter.server";
import { createPrismaClient } from "../../app/db/client.server";
import { postgresDatabaseUrl, testDatabaseName } from "./database-provider";
import { reachesTheDatabase } from "./database-test-files";

let counter = 0;
/** Test files already found to reach this module: a file asking for several databases is read once. */
const checkedFiles = new Set<string>();

export type TestDatabase = { url: string; connect(): PrismaClient };

/**
 * A migrated database of its own for one test file: a copy of the run's template, as a SQLite file
 * or (TEST_DATABASE=postgresql) a PostgreSQL database created from the template database.
 */
export async function freshDatabase(label: string): Promise<TestDatabase> {
  // The PostgreSQL run picks its files by whether their imports reach this module; one that got here
  // another way would be left out of it without anyone noticing.
  const testFile = expect.getState().testPath;
  if (!testFile || (!checkedFiles.has(testFile) && !reachesTheDatabase(testFile, process.cwd()))) {
    throw new Error(`${testFile ?? "This test file"} uses a test database, but its imports do not reach test/harness/database.ts, so the PostgreSQL run would leave it out: import freshDatabase (or a harness that does) statically.`);
  }
  checkedFiles.add(testFile);
  const name = `${label}-${process.pid}-${++counter}`;
  const template = inject("templateDb");
  let url: string;
  if (inject("databaseProvider") === "postgresql") {
    const server = inject("postgresServerUrl");
    const database = testDatabaseName(inject("runId"), name);
    await runOnServer(server, `CREATE DATABASE "${database}" TEMPLATE "${template}"`);
    url = postgresDatabaseUrl(server, database);
  } else {
    const file = join(inject("runDir"), `${name}.sqlite`);
    copyFileSync(template, file);
    url = `file:${file}`;
  }
  return { url, connect: () => createPrismaClient(url) };
}
