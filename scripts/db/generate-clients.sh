#!/usr/bin/env sh
# Generates both Prisma clients from the one model, so switching databases is configuration only:
# `@prisma/client` (SQLite) and `.prisma/client-postgresql` (PostgreSQL). prisma.config.ts picks the
# schema from DATABASE_URL; generating connects to no database, so any PostgreSQL URL will do.
set -e
cd "$(dirname "$0")/../.."
DATABASE_URL=file:./data/app.sqlite prisma generate
DATABASE_URL=postgresql://generate-only.invalid/app prisma generate
