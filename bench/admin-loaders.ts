/**
 * Admin page loaders in the sandbox: how long each page's data takes to load, as the embedded admin
 * asks for it (`?_data=<route>` with a session token), for a shop that finished onboarding (Oscar
 * connected, widget chosen, rules and a Slack URL saved).
 *
 *   npx tsx bench/admin-loaders.ts [requests=200]
 *
 * Starts `scripts/sandbox.ts --no-build` (build first: `npx remix vite:build`) on free ports with a
 * database file and Redis prefix of its own, sends 20 warm-up requests then `requests` sequential
 * requests per page, and prints p50/p95/max per page plus whole-document renders. Goal: p95 < 200 ms.
 */
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { createServer } from "node:net";
import { resolve } from "node:path";
import { Redis } from "ioredis";

const requests = Number(process.argv[2] ?? 200);
const SHOP = "oscar-sandbox.myshopify.com";
const UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36";
const prefix = `bench-admin-${Date.now()}`;
const dbFile = resolve(".cache/bench", `admin-loaders-${Date.now()}.sqlite`);

const freePort = () =>
  new Promise<number>((done) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });

const [port, adminPort, oscarPort] = [await freePort(), await freePort(), await freePort()];
const appUrl = `http://127.0.0.1:${port}`;
const sandbox = spawn(process.execPath, [resolve("node_modules/tsx/dist/cli.mjs"), resolve("scripts/sandbox.ts"), "--no-build"], {
  env: {
    ...process.env,
    PORT: String(port),
    SANDBOX_ADMIN_API_PORT: String(adminPort),
    SANDBOX_OSCAR_PORT: String(oscarPort),
    SANDBOX_DATABASE_FILE: dbFile,
    REDIS_PREFIX: prefix,
  },
  stdio: ["ignore", "pipe", "pipe"],
});
let output = "";
await new Promise<void>((ready, fail) => {
  const onData = (chunk: Buffer) => {
    output += chunk;
    if (/Press Ctrl\+C to stop/.test(output)) ready();
  };
  sandbox.stdout!.on("data", onData);
  sandbox.stderr!.on("data", onData);
  sandbox.once("exit", (code) => fail(new Error(`the sandbox exited (${code}):\n${output}`)));
});
let slow: Array<{ page: string }> = [];
try {
  const slackUrl = /Slack webhook URL to paste in Settings \(a local receiver\): (\S+)/.exec(output)?.[1] ?? "";

  // The sandbox mints session tokens that live 60 s; take a new one every 20 s.
  let token = { value: "", at: 0 };
  async function sessionToken(): Promise<string> {
    if (Date.now() - token.at > 20_000) {
      const { token: value } = (await (await fetch(`${appUrl}/sandbox/session-token`)).json()) as { token: string };
      token = { value, at: Date.now() };
    }
    return token.value;
  }

  async function request(path: string, init: RequestInit = {}): Promise<Response> {
    const response = await fetch(`${appUrl}${path}`, {
      ...init,
      headers: { Authorization: `Bearer ${await sessionToken()}`, "User-Agent": UA, ...(init.headers as Record<string, string>) },
    });
    if (response.status !== 200) throw new Error(`${path} answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
    return response;
  }

  async function post(path: string, fields: Record<string, string>) {
    const answer = (await (await request(path, { method: "POST", body: new URLSearchParams(fields) })).json()) as { ok: boolean; message: string };
    if (!answer.ok) throw new Error(`${path}: ${answer.message}`);
  }

  // The state a merchant has after onboarding.
  await post("/app?index&_data=routes%2Fapp._index", { intent: "connect", apiKey: "oscar_sim_key" });
  await post("/app?index&_data=routes%2Fapp._index", { intent: "choose-widget", widgetId: "wdg_bench" });
  await post("/app?index&_data=routes%2Fapp._index", { intent: "check-embed" });
  await post("/app/settings?_data=routes%2Fapp.settings", {
    intent: "save",
    widgetId: "wdg_bench",
    urgentKeywords: "refund\nchargeback",
    urgentAgentId: "agent_1",
    urgentLabel: "urgent",
    vipTotalSpent: "1000",
    vipCustomerTags: "VIP",
    vipAgentId: "agent_2",
    vipLabel: "vip",
    botEscalationAgents: "agent_2\nagent_3",
    "slack.urgent.change": "set",
    "slack.urgent.url": slackUrl,
    "orderStatus.enabled": "true",
    "orderStatus.sharedFields": "status",
  });

  const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

  async function measure(label: string, path: string, document = false) {
    const run = async () => {
      // Fetching a fresh token is not part of the page's time.
      const idToken = await sessionToken();
      const url = document ? `${path}?${new URLSearchParams({ embedded: "1", shop: SHOP, host: Buffer.from(`admin.shopify.com/store/${SHOP.replace(".myshopify.com", "")}`).toString("base64url"), id_token: idToken })}` : path;
      const started = performance.now();
      const response = await request(url);
      await response.arrayBuffer();
      return performance.now() - started;
    };
    for (let i = 0; i < 20; i++) await run();
    const times: number[] = [];
    for (let i = 0; i < requests; i++) times.push(await run());
    times.sort((a, b) => a - b);
    const row = { page: label, p50: percentile(times, 50), p95: percentile(times, 95), max: times.at(-1)! };
    console.log(`${row.page.padEnd(38)} p50 ${row.p50.toFixed(1).padStart(6)} ms   p95 ${row.p95.toFixed(1).padStart(6)} ms   max ${row.max.toFixed(1).padStart(6)} ms`);
    return row;
  }

  console.log(`Admin loaders in the sandbox: ${requests} sequential requests per page after 20 warm-up (goal p95 < 200 ms)\n`);
  const rows = [
    await measure("layout (routes/app)", "/app?_data=routes%2Fapp"),
    await measure("home (routes/app._index)", "/app?_data=routes%2Fapp._index"),
    await measure("settings (routes/app.settings)", "/app/settings?_data=routes%2Fapp.settings"),
    await measure("failed jobs (routes/app.failed-jobs)", "/app/failed-jobs?_data=routes%2Fapp.failed-jobs"),
  ];
  console.log("\nWhole documents (every loader of the page + server rendering):");
  await measure("GET /app", "/app", true);
  await measure("GET /app/settings", "/app/settings", true);
  await measure("GET /app/failed-jobs", "/app/failed-jobs", true);

  slow = rows.filter((r) => r.p95 >= 200);
  console.log(slow.length ? `\nOver the goal: ${slow.map((r) => r.page).join(", ")}` : "\nEvery page loader is under the 200 ms p95 goal.");
} finally {
  // Also when a step above fails: never leave the sandbox's processes behind.
  sandbox.kill("SIGTERM");
  await new Promise((r) => sandbox.once("exit", r));
}
const redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
const keys = await redis.keys(`${prefix}:*`);
if (keys.length) await redis.del(...keys);
redis.disconnect();
rmSync(dbFile, { force: true });
rmSync(`${dbFile}-journal`, { force: true });
process.exit(slow.length ? 1 : 0);
