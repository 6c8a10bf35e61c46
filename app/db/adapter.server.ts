import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";

/** The file a `file:` DATABASE_URL points at, resolved against the current directory as Prisma does. */
export function sqliteFilePath(databaseUrl: string): string {
  return resolve(databaseUrl.replace(/^file:/, "").replace(/\?.*$/, ""));
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

/**
 * The Prisma driver adapter for DATABASE_URL. SQLite files get their folder created first so a fresh
 * checkout needs no manual step.
 */
export function createDriverAdapter(databaseUrl: string) {
  if (databaseUrl.startsWith("file:")) {
    const file = sqliteFilePath(databaseUrl);
    mkdirSync(dirname(file), { recursive: true });
    return new SecureDeleteSQLite3({ url: `file:${file}` });
  }
  throw new Error("Only SQLite (file:) databases are supported so far; PostgreSQL support arrives with the scale-out work.");
}
