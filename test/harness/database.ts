import { copyFileSync } from "node:fs";
import { join } from "node:path";
import type { PrismaClient } from "@prisma/client";
import { inject } from "vitest";
import { runOnServer } from "../../app/db/adapter.server";
import { createPrismaClient } from "../../app/db/client.server";
import { postgresDatabaseUrl, testDatabaseName } from "./database-provider";

let counter = 0;

export type TestDatabase = { url: string; connect(): PrismaClient };

/**
 * A migrated database of its own for one test file: a copy of the run's template, as a SQLite file
 * or (TEST_DATABASE=postgresql) a PostgreSQL database created from the template database.
 */
export async function freshDatabase(label: string): Promise<TestDatabase> {
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
