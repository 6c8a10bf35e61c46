/**
 * Ingest throughput and latency: the Oscar webhook route (verify, enqueue, answer) of the built app
 * against a bare Node HTTP server answering 200 with no work, both loaded by autocannon from a
 * separate process on this machine.
 *
 *   npx tsx bench/ingest.ts [seconds=15] [rate=1000]
 *
 * Prints, for each: max requests/s (50 connections) and p50/p99 at a fixed rate; the ratio of the
 * two maxima; and whether every acknowledged event became exactly one job (none lost, none doubled).
 * Goal (issue 4): ingest >= half the bare server's throughput; p99 < 25 ms at 1,000 requests/s.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { cpus } from "node:os";
import { resolve } from "node:path";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { createPrismaClient } from "../app/db/client.server";
import { encryptSecret, parseKeyring, SECRET_FIELDS } from "../app/security/encryption.server";
import { startBenchStack } from "./support/stack";

const seconds = Number(process.argv[2] ?? 15);
const rate = Number(process.argv[3] ?? 1000);
const shop = "bench-shop.myshopify.com";

/** The baseline server, a process of its own like the app; resolves with its port. */
function startBareServer(): Promise<{ child: ChildProcess; port: string }> {
  // `--import tsx` rather than tsx's CLI, which would run the server in a child of its own and
  // leave this pid (whose CPU time is read below) as an idle wrapper.
  const child = spawn(process.execPath, ["--import", "tsx", resolve("bench/support/bare-server.ts")], { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((done, fail) => {
    let output = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk;
      const port = /listening (\d+)/.exec(output)?.[1];
      if (port) done({ child, port });
    });
    child.once("exit", (code) => fail(new Error(`the bare server exited ${code}`)));
  });
}

type Load = { requests: number; sent: number; rps: number; p50: number; p99: number; max: number; non2xx: number; errors: number; timeouts: number; cpuMs: number };

const clockTicksPerSecond = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim());

/** CPU time (user + system) a process has used so far, from /proc (10 ms resolution). */
function processCpuMs(pid: number): number {
  // Fields after the ")" that ends the command name: utime and stime are the 12th and 13th.
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicksPerSecond;
}

/** CPU time the Redis server has used so far. */
async function redisCpuMs(redis: Redis): Promise<number> {
  const info = await redis.info("cpu");
  const seconds = (field: string) => Number(new RegExp(`^${field}:([\\d.]+)`, "m").exec(info)?.[1] ?? 0);
  return (seconds("used_cpu_user") + seconds("used_cpu_sys")) * 1000;
}

/** Where one request's CPU goes: microseconds per answered request in the server, Redis and the load generator. */
type CpuPerRequest = { server: number; redis: number; load: number };

async function withCpu(serverPid: number, redis: Redis, run: () => Load): Promise<{ load: Load; cpu: CpuPerRequest }> {
  const [server0, redis0] = [processCpuMs(serverPid), await redisCpuMs(redis)];
  const result = run();
  const [server1, redis1] = [processCpuMs(serverPid), await redisCpuMs(redis)];
  const perRequest = (ms: number) => (ms * 1000) / Math.max(1, result.requests);
  return { load: result, cpu: { server: perRequest(server1 - server0), redis: perRequest(redis1 - redis0), load: perRequest(result.cpuMs) } };
}

function load(url: string, connections: number, loadRate: number, secret?: string): Load {
  const out = execFileSync(process.execPath, [resolve("node_modules/tsx/dist/cli.mjs"), resolve("bench/support/load.ts"), url, String(seconds), String(connections), String(loadRate), ...(secret ? [secret] : [])], {
    encoding: "utf8",
    maxBuffer: 10 * 1024 * 1024,
  });
  return JSON.parse(out.trim().split("\n").pop()!) as Load;
}

async function jobCount(redisUrl: string, prefix: string): Promise<number> {
  const queue = new Queue("oscar-events", { connection: { url: redisUrl }, prefix });
  const counts = await queue.getJobCounts("waiting", "active", "completed", "failed", "delayed", "prioritized");
  await queue.close();
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

async function main() {
  const stack = await startBenchStack({ name: "ingest" });
  const bare = await startBareServer();
  try {
    await measure(stack, bare);
  } finally {
    bare.child.kill("SIGTERM");
    await stack.close();
  }
}

async function measure(stack: Awaited<ReturnType<typeof startBenchStack>>, bare: { child: ChildProcess; port: string }) {
  // The shop as connect leaves it: an ingest key and a webhook secret, encrypted.
  const secret = randomBytes(32).toString("hex");
  const ingestKey = randomBytes(24).toString("base64url");
  const keyring = parseKeyring(stack.env.ENCRYPTION_KEYS!);
  const db = createPrismaClient(stack.databaseUrl);
  await db.shop.create({ data: { domain: shop } });
  await db.oscarConnection.create({
    data: { shop, apiKeyCiphertext: encryptSecret(keyring, "osk_bench", { shop, field: SECRET_FIELDS.oscarApiKey }), apiKeyLast4: "ench", ingestKey, webhookSecretCiphertext: encryptSecret(keyring, secret, { shop, field: SECRET_FIELDS.oscarWebhookSecret }) },
  });
  await db.$disconnect();
  const jobs = () => jobCount(stack.redisUrl, stack.prefix);

  const bareUrl = `http://127.0.0.1:${bare.port}/`;
  const ingestUrl = `${stack.appUrl}/webhooks/oscar/${ingestKey}`;
  // Warm both (JIT, connection pools) so the first measured second is not a cold start.
  load(bareUrl, 10, 0);
  load(ingestUrl, 10, 0, secret);
  const warmJobs = await jobs();

  const redis = new Redis(stack.redisUrl);
  const { load: bareMax, cpu: bareCpu } = await withCpu(bare.child.pid!, redis, () => load(bareUrl, 50, 0));
  const { load: ingestMax, cpu: ingestCpu } = await withCpu(stack.appPid, redis, () => load(ingestUrl, 50, 0, secret));
  redis.disconnect();
  const bareFixed = load(bareUrl, 50, rate);
  const ingestFixed = load(ingestUrl, 50, rate, secret);
  // Requests still in flight when a run ends were sent (and may be stored) but never answered.
  const acknowledged = ingestMax.requests - ingestMax.non2xx + (ingestFixed.requests - ingestFixed.non2xx);
  const sent = ingestMax.sent + ingestFixed.sent;
  const stored = (await jobs()) - warmJobs;

  const row = (name: string, max: Load, fixed: Load) =>
    `| ${name} | ${max.rps.toFixed(0)} | ${fixed.rps.toFixed(0)} | ${fixed.p50} | ${fixed.p99} | ${fixed.non2xx + fixed.errors + fixed.timeouts} |`;
  console.log(`\nIngest benchmark: ${seconds} s per run, ${cpus().length} cores (${cpus()[0]?.model ?? "?"}), Node ${process.version}`);
  console.log(`| server | max req/s (50 conns) | req/s at ${rate}/s | p50 ms | p99 ms | failures |`);
  console.log("| --- | --- | --- | --- | --- | --- |");
  console.log(row("bare Node HTTP (200, no work)", bareMax, bareFixed));
  console.log(row("ingest (verify, enqueue, answer)", ingestMax, ingestFixed));
  console.log(`\nthroughput ratio ingest/bare: ${(ingestMax.rps / bareMax.rps).toFixed(2)} (goal >= 0.50)`);
  // The machine's CPU is the ceiling: a request cannot be answered faster than its CPU time
  // (server + Redis + the load generator, all on these cores) allows, however the work is overlapped.
  const cores = cpus().length;
  const ceiling = (cpu: CpuPerRequest) => (cores * 1e6) / (cpu.server + cpu.redis + cpu.load);
  const cpuRow = (name: string, cpu: CpuPerRequest) =>
    `| ${name} | ${cpu.server.toFixed(0)} | ${cpu.redis.toFixed(0)} | ${cpu.load.toFixed(0)} | ${(cpu.server + cpu.redis + cpu.load).toFixed(0)} | ${ceiling(cpu).toFixed(0)} |`;
  console.log(`\nCPU per answered request at max load (µs), and the req/s ${cores} cores could give at that cost:`);
  console.log("| server | server process | Redis | load generator | total | CPU ceiling req/s |");
  console.log("| --- | --- | --- | --- | --- | --- |");
  console.log(cpuRow("bare Node HTTP", bareCpu));
  console.log(cpuRow("ingest", ingestCpu));
  console.log(`ingest's CPU ceiling / bare measured: ${(ceiling(ingestCpu) / bareMax.rps).toFixed(2)}`);
  console.log(`p99 at ${rate}/s: ${ingestFixed.p99} ms (goal < 25 ms)`);
  const verdict = stored >= acknowledged && stored <= sent ? "none lost, none doubled" : stored < acknowledged ? "LOST EVENTS" : "DUPLICATES";
  console.log(`events sent: ${sent}, acknowledged: ${acknowledged}, jobs stored: ${stored} (${verdict})`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
