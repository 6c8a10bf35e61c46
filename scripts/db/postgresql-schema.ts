/**
 * prisma/postgresql/schema.prisma is derived from prisma/schema.prisma, the one model: the same
 * models with PostgreSQL as the provider and the client generated beside `.prisma/client`. Run
 * `npx tsx scripts/db/postgresql-schema.ts` after changing the model (scripts/new-migration.sh does);
 * test/database-migrations.test.ts fails while the two disagree.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const SQLITE_SCHEMA = "prisma/schema.prisma";
export const POSTGRESQL_SCHEMA = "prisma/postgresql/schema.prisma";

const HEADER = "// Generated from prisma/schema.prisma by scripts/db/postgresql-schema.ts: edit that file, not this one.\n\n";

export function derivePostgresqlSchema(sqliteSchema: string): string {
  const replaced = sqliteSchema
    .replace(/(datasource db \{[^}]*provider\s*=\s*)"sqlite"/, '$1"postgresql"')
    .replace(/(generator client \{[^}]*engineType\s*=\s*"client")/, '$1\n  output     = "../../node_modules/.prisma/client-postgresql"');
  if (!replaced.includes('"postgresql"') || !replaced.includes("client-postgresql")) {
    throw new Error(`${SQLITE_SCHEMA} no longer has the datasource or generator block this script rewrites.`);
  }
  return HEADER + replaced;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(POSTGRESQL_SCHEMA, derivePostgresqlSchema(readFileSync(SQLITE_SCHEMA, "utf8")));
  console.log(`wrote ${POSTGRESQL_SCHEMA}`);
}
