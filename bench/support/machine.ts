import { execFileSync } from "node:child_process";
import { cpus, loadavg, totalmem } from "node:os";
import { Redis } from "ioredis";
import pg from "pg";
import { testPostgresServerUrl } from "../../test/harness/database-provider";

/** What a bench run ran on, for bench/README.md: figures from another machine are not comparable. */
export type Machine = {
  cores: number;
  cpuModel: string;
  memoryGb: number;
  node: string;
  redis: string;
  postgresql: string;
  /** 1-minute load average when the run started and ended: other work on these shared cores. */
  loadAtStart: number;
  loadAtEnd?: number;
  commit: string;
};

export async function describeMachine(): Promise<Machine> {
  return {
    cores: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? "unknown",
    memoryGb: Math.round(totalmem() / 1024 ** 3),
    node: process.version,
    redis: await redisVersion(),
    postgresql: await postgresVersion(),
    loadAtStart: loadavg()[0]!,
    commit: gitCommit(),
  };
}

async function redisVersion(): Promise<string> {
  const redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379", { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on("error", () => {});
  try {
    await redis.connect();
    return /^redis_version:(\S+)/m.exec(await redis.info("server"))?.[1] ?? "unknown";
  } catch {
    return "not reachable";
  } finally {
    redis.disconnect();
  }
}

async function postgresVersion(): Promise<string> {
  const client = new pg.Client({ connectionString: testPostgresServerUrl(), connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    const { rows } = await client.query<{ server_version: string }>("SHOW server_version");
    return rows[0]?.server_version ?? "unknown";
  } catch {
    return "not reachable";
  } finally {
    await client.end().catch(() => {});
  }
}

function gitCommit(): string {
  try {
    const commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--untracked-files=no"], { encoding: "utf8" }).trim();
    return dirty ? `${commit} (with uncommitted changes)` : commit;
  } catch {
    return "unknown";
  }
}
