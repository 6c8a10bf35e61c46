import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";

/**
 * The database is chosen by DATABASE_URL alone: `file:` is SQLite (the default, no server),
 * `postgresql://` is PostgreSQL (several machines, many processes). One Prisma model serves both
 * (prisma/schema.prisma; prisma/postgresql/ is derived from it).
 */
export type DatabaseProvider = "sqlite" | "postgresql";

export function databaseProvider(databaseUrl: string): DatabaseProvider {
  if (databaseUrl.startsWith("file:")) return "sqlite";
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) return "postgresql";
  throw new Error("DATABASE_URL must start with file: (SQLite) or postgresql:// (PostgreSQL).");
}

/** The file a `file:` DATABASE_URL points at, resolved against the current directory as Prisma does. */
export function sqliteFilePath(databaseUrl: string): string {
  return resolve(databaseUrl.replace(/^file:/, "").replace(/\?.*$/, ""));
}

/** better-sqlite3's config for a `file:` URL, its folder created first so a fresh checkout needs no manual step. */
function sqliteFileConfig(databaseUrl: string) {
  const file = sqliteFilePath(databaseUrl);
  mkdirSync(dirname(file), { recursive: true });
  return { url: `file:${file}` };
}

/**
 * SQLite leaves deleted rows readable in free pages until they are reused; with secure_delete a
 * redacted customer's or purged shop's rows are overwritten on disk when they are deleted.
 */
class SecureDeleteSQLite3 extends PrismaBetterSQLite3 {
  override async connect() {
    const adapter = await super.connect();
    await adapter.executeScript("PRAGMA secure_delete = ON");
    return adapter;
  }
}

export type DriverAdapterOptions = {
  /** Connections one process may hold open to PostgreSQL (DATABASE_POOL_SIZE). */
  poolSize?: number;
};

/** The Prisma driver adapter the app queries through. */
export function createDriverAdapter(databaseUrl: string, options: DriverAdapterOptions = {}) {
  if (databaseProvider(databaseUrl) === "sqlite") return new SecureDeleteSQLite3(sqliteFileConfig(databaseUrl));
  return new PrismaPg(
    new pg.Pool({ connectionString: databaseUrl, max: options.poolSize ?? 10, idleTimeoutMillis: 30_000 }),
    { disposeExternalPool: true },
  );
}

// PostgreSQL's catalogue types `name` (oid 19) and `"char"` (oid 18): the adapter refuses them, and
// Prisma's schema engine reads pg_catalog columns of both while it migrates.
const CATALOGUE_TEXT_TYPES = new Set([18, 19]);
const TEXT_OID = 25;

/** A pool for Prisma's schema engine: its results report catalogue name/char columns as text, which they are. */
function catalogueReadingPool(connectionString: string): pg.Pool {
  const pool = new pg.Pool({ connectionString, max: 2 });
  const query = pool.query.bind(pool) as (config: pg.QueryConfig, values?: unknown[]) => Promise<pg.QueryResult>;
  // The adapter only calls the promise form, query(config).
  (pool as unknown as { query: typeof query }).query = async (config, values) => {
    const result = await query(config, values);
    for (const field of result.fields ?? []) if (CATALOGUE_TEXT_TYPES.has(field.dataTypeID)) field.dataTypeID = TEXT_OID;
    return result;
  };
  return pool;
}

/**
 * The adapter Prisma's CLI migrates through (prisma.config.ts). For SQLite the shadow database's
 * one-statement-per-migration replay goes through executeScript; for PostgreSQL the shadow database
 * gets its own pool, closed before the database is dropped (PostgreSQL refuses to drop a database
 * with open connections, which the stock adapter leaves).
 */
export function createMigrationAdapter(databaseUrl: string) {
  if (databaseProvider(databaseUrl) === "sqlite") return new MigratingSQLite3(databaseUrl);
  return new MigratingPostgres(databaseUrl);
}

class MigratingSQLite3 extends SecureDeleteSQLite3 {
  constructor(databaseUrl: string) {
    super(sqliteFileConfig(databaseUrl));
  }

  override async connectToShadowDb() {
    const adapter = await super.connectToShadowDb();
    const executeRaw = adapter.executeRaw.bind(adapter);
    // The shadow database replays a whole migration file as one parameterless statement, which
    // better-sqlite3 refuses when the file holds several; run those as a script.
    adapter.executeRaw = async (query) => {
      if (query.args.length === 0) {
        await adapter.executeScript(query.sql);
        return 0;
      }
      return executeRaw(query);
    };
    return adapter;
  }
}

class MigratingPostgres extends PrismaPg {
  constructor(private readonly databaseUrl: string) {
    super(catalogueReadingPool(databaseUrl), { disposeExternalPool: true });
  }

  override async connectToShadowDb() {
    const name = `prisma_shadow_${process.pid}_${Date.now().toString(36)}`;
    await runOnServer(this.databaseUrl, `CREATE DATABASE "${name}"`);
    const shadowUrl = new URL(this.databaseUrl);
    shadowUrl.pathname = `/${name}`;
    const adapter = await new PrismaPg(catalogueReadingPool(shadowUrl.toString()), { disposeExternalPool: true }).connect();
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      await dispose();
      await runOnServer(this.databaseUrl, `DROP DATABASE IF EXISTS "${name}"`);
    };
    return adapter;
  }
}

/** One statement on its own connection (CREATE/DROP DATABASE cannot run inside a pool's transaction). */
export async function runOnServer(databaseUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
