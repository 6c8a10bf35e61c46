import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import { resolve } from "node:path";
import { runOnServer } from "../../app/db/adapter.server";
import { postgresDatabaseUrl, testDatabaseProvider, testPostgresServerUrl, type TestDatabaseProvider } from "./database-provider";

export type ScratchDatabase = { url: string; provider: TestDatabaseProvider; drop(): Promise<void> };

/**
 * A migrated database for one reliability case or benchmark, outside vitest: a SQLite file under
 * .cache/<folder>, or a PostgreSQL database on TEST_POSTGRES_URL's server. The provider comes from
 * TEST_DATABASE unless the caller needs one in particular (the scale-out case needs PostgreSQL).
 */
export async function createScratchDatabase(name: string, { folder, provider = testDatabaseProvider() }: { folder: string; provider?: TestDatabaseProvider }): Promise<ScratchDatabase> {
  const unique = `${name}-${process.pid}-${Date.now().toString(36)}`;
  let url: string;
  let drop: () => Promise<void>;
  if (provider === "postgresql") {
    const server = testPostgresServerUrl();
    const database = `oscar_scratch_${unique.replace(/[^a-z0-9]/gi, "_").toLowerCase()}`.slice(0, 63);
    await runOnServer(server, `CREATE DATABASE "${database}"`);
    url = postgresDatabaseUrl(server, database);
    drop = () => runOnServer(server, `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  } else {
    const dir = resolve(".cache", folder);
    mkdirSync(dir, { recursive: true });
    const file = resolve(dir, `${unique}.sqlite`);
    url = `file:${file}`;
    drop = async () => {
      for (const f of [file, `${file}-journal`, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
    };
  }
  migrateDatabase(url);
  return { url, provider, drop };
}

/** Applies the migrations of the database a URL names (prisma.config.ts picks them), as `npm run setup` does. */
export function migrateDatabase(url: string): void {
  execFileSync(process.execPath, [resolve("node_modules/prisma/build/index.js"), "migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: url, PRISMA_HIDE_UPDATE_MESSAGE: "1" },
    stdio: "pipe",
  });
}
