import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { describe, expect, inject, it } from "vitest";
import { derivePostgresqlSchema, POSTGRESQL_SCHEMA, SQLITE_SCHEMA } from "../scripts/db/postgresql-schema";

/**
 * One Prisma model, two databases: PostgreSQL's schema is derived from SQLite's, and each database's
 * migrations, replayed on an empty database, must build exactly that model. A migration written for
 * one database and not the other fails here.
 */
const run = promisify(execFile);
const PRISMA = resolve("node_modules/prisma/build/index.js");

/** `prisma migrate diff --exit-code`: 0 when the migrations build the schema, 2 when they drift. */
async function migrationsDrift(databaseUrl: string, migrations: string, schema: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout } = await run(process.execPath, [PRISMA, "migrate", "diff", "--from-migrations", migrations, "--to-schema-datamodel", schema, "--exit-code"], {
      env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: "1" },
    });
    return { code: 0, output: stdout };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, output: `${failed.stdout ?? ""}${failed.stderr ?? ""}` };
  }
}

const databases = [
  { name: "SQLite", migrations: "prisma/migrations", schema: SQLITE_SCHEMA, url: () => `file:${join(inject("runDir"), "migrations-check.sqlite")}` },
  { name: "PostgreSQL", migrations: "prisma/postgresql/migrations", schema: POSTGRESQL_SCHEMA, url: () => inject("postgresServerUrl") },
];

describe("database migrations", () => {
  it("keeps PostgreSQL's schema derived from the one model", () => {
    expect(readFileSync(POSTGRESQL_SCHEMA, "utf8")).toBe(derivePostgresqlSchema(readFileSync(SQLITE_SCHEMA, "utf8")));
  });

  for (const database of databases) {
    it(`${database.name}: the migrations build exactly the model`, async () => {
      const result = await migrationsDrift(database.url(), database.migrations, database.schema);
      expect(result.output).toContain("No difference detected");
      expect(result.code).toBe(0);
    }, 60_000);

    it(`${database.name}: a model change without its migration is caught`, async () => {
      const drifted = join(inject("runDir"), `drifted-${database.name}.prisma`);
      const schema = readFileSync(database.schema, "utf8").replace("model Shop {", "model Shop {\n  loyaltyTier String?");
      // The copy lives elsewhere, so a generated client's output path must not matter here.
      writeFileSync(drifted, schema.replace(/\n\s*output\s*=.*\n/, "\n"));
      const result = await migrationsDrift(database.url(), database.migrations, drifted);
      expect(result.code).toBe(2);
      expect(result.output).toContain("loyaltyTier");
    }, 60_000);
  }
});
