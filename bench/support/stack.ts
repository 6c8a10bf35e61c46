import { spawn, type ChildProcess } from "node:child_process";
import { resolve } from "node:path";
import { Redis } from "ioredis";
import { generateKeyringEntry } from "../../app/security/encryption.server";
import { freePort } from "../../test/harness/ports";
import { createScratchDatabase } from "../../test/harness/scratch-database";
import { workerNodeArgs } from "../../workers/launch";

/**
 * With BENCH_CPU_PROF_DIR, the process writes a V8 CPU profile there when it exits (for finding where
 * ingest's time goes); a name tells a bench's own server's profile from the app's.
 */
export const cpuProfiling = (name?: string): string[] => {
  const dir = process.env.BENCH_CPU_PROF_DIR;
  if (!dir) return [];
  return ["--cpu-prof", `--cpu-prof-dir=${resolve(dir)}`, ...(name ? [`--cpu-prof-name=${name}.${process.pid}.cpuprofile`] : [])];
};

/** With BENCH_SLOW_MS, the app's processes are slowed on purpose (bench/support/slow.mjs): a goal must then be missed. */
export const slowdown = (): string[] => [
  ...(Number(process.env.BENCH_SLOW_MS ?? 0) > 0 ? ["--import", resolve("bench/support/slow.mjs")] : []),
  ...cpuProfiling(),
];

/**
 * Sends SIGTERM and waits for each to exit (at most 15 s), or a CPU profile asked for with
 * BENCH_CPU_PROF_DIR would be lost when the bench's own process ends.
 */
export async function stopChildren(children: ChildProcess[]): Promise<void> {
  const exited = children.map((child) =>
    child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise<void>((done) => child.once("exit", () => done())),
  );
  for (const child of children) child.kill("SIGTERM");
  await Promise.race([Promise.all(exited), new Promise((done) => setTimeout(done, 15_000).unref())]);
}

/**
 * slowdown() for a process started with an environment of its own (the reliability stack passes its
 * children only what it sets): the flags as NODE_OPTIONS, and the settings slow.mjs reads. Without
 * those settings slow.mjs loads and does nothing.
 */
export function slowdownEnv(): Record<string, string> {
  const flags = slowdown();
  if (!flags.length) return {};
  const settings = Object.fromEntries(["BENCH_SLOW_MS", "BENCH_SLOW_REDIS"].flatMap((name) => (process.env[name] ? [[name, process.env[name]!]] : [])));
  return { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} ${flags.join(" ")}`.trim(), ...settings };
}

/**
 * The app's real processes for a benchmark: a migrated database (SQLite, or PostgreSQL with
 * TEST_DATABASE=postgresql), server.mjs and optionally the worker, on a Redis prefix of their own
 * that is deleted afterwards.
 */
export async function startBenchStack({ name, env = {}, worker = false }: { name: string; env?: Record<string, string>; worker?: boolean }) {
  const database = await createScratchDatabase(name, { folder: "bench" });
  const databaseUrl = database.url;
  const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
  const prefix = `bench-${name}-${Date.now()}`;
  const port = await freePort();
  const appUrl = `http://127.0.0.1:${port}`;
  const children: ChildProcess[] = [];
  const appEnv: NodeJS.ProcessEnv = {
    ...process.env,
    // "test" rather than "production": the fake Admin API origin is refused in production.
    NODE_ENV: "test",
    PORT: String(port),
    HOST: "127.0.0.1",
    SHOPIFY_API_KEY: "bench-api-key",
    SHOPIFY_API_SECRET: "bench-api-secret-0123456789",
    SHOPIFY_APP_URL: appUrl,
    ENCRYPTION_KEYS: generateKeyringEntry(1),
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    REDIS_PREFIX: prefix,
    LOG_LEVEL: "warn",
    ...env,
  };

  const start = (args: string[], ready: RegExp, extraEnv: Record<string, string> = {}) =>
    new Promise<ChildProcess>((done, fail) => {
      const child = spawn(process.execPath, args, { env: { ...appEnv, ...extraEnv }, stdio: ["ignore", "pipe", "pipe"] });
      children.push(child);
      let output = "";
      const onData = (chunk: Buffer) => {
        output += chunk;
        if (process.env.BENCH_VERBOSE) process.stderr.write(chunk);
        if (ready.test(output)) done(child);
      };
      child.stdout!.on("data", onData);
      child.stderr!.on("data", onData);
      child.once("exit", (code) => fail(new Error(`${args.join(" ")} exited ${code}: ${output}`)));
    });

  const appChild = await start([...slowdown(), resolve("server.mjs")], /\[oscar-chat\] http/);
  // The worker announces "worker ready" at info level.
  const workerChild = worker ? await start([...slowdown(), ...workerNodeArgs()], /worker ready/, { LOG_LEVEL: "info" }) : undefined;

  return {
    appUrl,
    env: appEnv,
    databaseUrl,
    prefix,
    redisUrl,
    /** For reading the web process's CPU time from /proc. */
    appPid: appChild.pid!,
    /** For reading the worker's memory from /proc. */
    workerPid: workerChild?.pid,
    async close() {
      // The web process drains for a second before it exits.
      await stopChildren(children);
      const redis = new Redis(redisUrl);
      const keys = await redis.keys(`${prefix}:*`);
      for (let i = 0; i < keys.length; i += 1000) await redis.del(...keys.slice(i, i + 1000));
      redis.disconnect();
      await database.drop();
    },
  };
}
