// Shopify's published Admin GraphQL schema (2026-10), fetched once from the npm registry and cached,
// so operations can be validated and executed offline against the real types.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rename, rm } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { gunzipSync } from "node:zlib";
import { buildClientSchema, type GraphQLSchema, type IntrospectionQuery } from "graphql";

const run = promisify(execFile);

export const ADMIN_API_VERSION = "2026-10";
// dev-mcp ships Shopify's introspection results; pinned so the schema never changes under the tests.
const SCHEMA_PACKAGE = "@shopify/dev-mcp@1.16.0";
const SCHEMA_ENTRY = `package/dist/data/admin_${ADMIN_API_VERSION}.json.gz`;

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const ADMIN_SCHEMA_FILE = join(repoRoot, ".cache", `shopify-admin-${ADMIN_API_VERSION}.json.gz`);

/** Path of the cached schema, downloading it first when this machine has none. */
export async function ensureAdminSchemaFile(): Promise<string> {
  if (existsSync(ADMIN_SCHEMA_FILE)) return ADMIN_SCHEMA_FILE;
  const cacheDir = dirname(ADMIN_SCHEMA_FILE);
  await mkdir(cacheDir, { recursive: true });
  // Working inside the cache folder keeps the final rename on one filesystem, hence atomic.
  const workDir = await mkdtemp(join(cacheDir, ".download-"));
  try {
    const { stdout } = await run("npm", ["pack", SCHEMA_PACKAGE, "--pack-destination", workDir, "--silent"], {
      cwd: workDir,
      maxBuffer: 16 * 1024 * 1024,
    });
    const tarball = join(workDir, stdout.trim().split("\n").pop() ?? "");
    await run("tar", ["-xzf", tarball, "-C", workDir, SCHEMA_ENTRY]);
    // Parallel test processes may all download: each renames its own complete copy into place,
    // so a reader never sees a half-written file.
    await rename(join(workDir, SCHEMA_ENTRY), ADMIN_SCHEMA_FILE);
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
  return ADMIN_SCHEMA_FILE;
}

let schemaPromise: Promise<GraphQLSchema> | undefined;

/** The Admin schema as graphql-js types; built once per process (it takes about a second). */
export function loadAdminSchema(): Promise<GraphQLSchema> {
  schemaPromise ??= (async () => {
    const file = await ensureAdminSchemaFile();
    const introspection = JSON.parse(gunzipSync(await readFile(file)).toString("utf8")) as {
      data?: IntrospectionQuery;
    } & Partial<IntrospectionQuery>;
    return buildClientSchema(introspection.data ?? (introspection as IntrospectionQuery));
  })();
  schemaPromise.catch(() => (schemaPromise = undefined));
  return schemaPromise;
}
