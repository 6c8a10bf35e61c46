#!/usr/bin/env sh
# npm's postinstall, run under the project's Node (scripts/with-node.mjs): leaves the checkout ready
# for `npm test` and `npm run sandbox` with nothing else to download or build.
set -e
cd "$(dirname "$0")/.."

# better-sqlite3 is built on V8's API, so its binary loads only in the Node that built it; npm built
# it under the Node that ran `npm install`, which may be older than the project's.
if ! node -e 'new (require("better-sqlite3"))(":memory:").close()' 2>/dev/null; then
  echo "Building better-sqlite3 for Node $(node --version) (the Node this project runs on)…"
  started=$(date +%s)
  npm rebuild better-sqlite3
  node -e 'new (require("better-sqlite3"))(":memory:").close()'
  echo "better-sqlite3 built for Node $(node --version) in $(($(date +%s) - started)) s"
fi

sh scripts/db/generate-clients.sh

# Shopify's Admin GraphQL schema (from the npm registry) for the fake Admin API and the tests.
tsx scripts/fetch-admin-schema.ts
