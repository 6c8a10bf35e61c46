#!/usr/bin/env bash
# Creates a migration from the change to prisma/schema.prisma since the last commit, offline.
# (`prisma migrate dev` is interactive and needs a shadow database; a schema-to-schema diff needs neither.)
# Usage: scripts/new-migration.sh describe_the_change
set -euo pipefail
cd "$(dirname "$0")/.."
name="${1:?usage: scripts/new-migration.sh <name>}"
previous=$(mktemp --suffix=.prisma)
git show HEAD:prisma/schema.prisma > "$previous"
dir="prisma/migrations/$(date -u +%Y%m%d%H%M%S)_${name}"
mkdir -p "$dir"
npx prisma migrate diff --from-schema-datamodel "$previous" --to-schema-datamodel prisma/schema.prisma --script > "$dir/migration.sql"
rm -f "$previous"
echo "wrote $dir/migration.sql"
