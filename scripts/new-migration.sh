#!/usr/bin/env bash
# Creates the migrations for a change to prisma/schema.prisma since the last commit, offline, for both
# databases: prisma/migrations (SQLite) and prisma/postgresql/migrations (PostgreSQL), and re-derives
# prisma/postgresql/schema.prisma. (`prisma migrate dev` is interactive and needs a shadow database;
# a schema-to-schema diff needs neither.) PostgreSQL's diff is computed on the server at POSTGRES_URL.
# Usage: scripts/new-migration.sh describe_the_change
set -euo pipefail
cd "$(dirname "$0")/.."
name="${1:?usage: scripts/new-migration.sh <name>}"
postgres_url="${POSTGRES_URL:-postgresql://postgres@127.0.0.1:5432/postgres}"
stamp="$(date -u +%Y%m%d%H%M%S)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

npx tsx scripts/db/postgresql-schema.ts
git show HEAD:prisma/schema.prisma > "$work/previous.prisma"
npx tsx -e 'import { readFileSync, writeFileSync } from "node:fs"; import { derivePostgresqlSchema } from "./scripts/db/postgresql-schema.ts";
writeFileSync(process.argv[1], derivePostgresqlSchema(readFileSync(process.argv[2], "utf8")));' "$work/previous-postgresql.prisma" "$work/previous.prisma"

mkdir -p "prisma/migrations/${stamp}_${name}" "prisma/postgresql/migrations/${stamp}_${name}"
DATABASE_URL="file:$work/diff.sqlite" npx prisma migrate diff --from-schema-datamodel "$work/previous.prisma" \
  --to-schema-datamodel prisma/schema.prisma --script > "prisma/migrations/${stamp}_${name}/migration.sql"
DATABASE_URL="$postgres_url" npx prisma migrate diff --from-schema-datamodel "$work/previous-postgresql.prisma" \
  --to-schema-datamodel prisma/postgresql/schema.prisma --script > "prisma/postgresql/migrations/${stamp}_${name}/migration.sql"
echo "wrote prisma/migrations/${stamp}_${name}/migration.sql and prisma/postgresql/migrations/${stamp}_${name}/migration.sql"
