/**
 * Which database the tests run on: SQLite files (the default) or PostgreSQL when
 * TEST_DATABASE=postgresql, on the server at TEST_POSTGRES_URL. Each run's databases are named
 * `oscar_test_<run>_…` so a run removes only its own.
 */
export type TestDatabaseProvider = "sqlite" | "postgresql";

export function testDatabaseProvider(env = process.env): TestDatabaseProvider {
  const value = env.TEST_DATABASE ?? "sqlite";
  if (value !== "sqlite" && value !== "postgresql") throw new Error(`TEST_DATABASE must be sqlite or postgresql, not ${value}.`);
  return value;
}

export function testPostgresServerUrl(env = process.env): string {
  return env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
}

export function testDatabasePrefix(runId: string): string {
  return `oscar_test_${runId.replace(/[^a-z0-9]/gi, "_").toLowerCase()}_`;
}

/** PostgreSQL names are at most 63 bytes; long labels keep their unique tail. */
export function testDatabaseName(runId: string, name: string): string {
  const full = `${testDatabasePrefix(runId)}${name.replace(/[^a-z0-9]/gi, "_").toLowerCase()}`;
  return full.length <= 63 ? full : `${testDatabasePrefix(runId)}${full.slice(-(63 - testDatabasePrefix(runId).length))}`;
}

export function postgresDatabaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}
