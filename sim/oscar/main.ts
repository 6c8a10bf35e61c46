import { createLogger } from "../../app/logger.server";
import { DEFAULT_SIM_API_KEY, startOscarSimulator } from "./server";

/**
 * Runs the Oscar simulator on its own: `npm run oscar:sim`.
 * - PORT or OSCAR_SIM_PORT: default 4200;
 * - OSCAR_SIM_API_KEYS: comma-separated keys it accepts (default: the public test key "oscar_sim_key");
 * - OSCAR_SIM_ACCEPT_ANY_KEY=1: also accept any other key, giving each a fresh account;
 * - OSCAR_SIM_DELIVERY=calm: every webhook once and in order (default: realistic, with duplicates and
 *   out-of-order deliveries); OSCAR_SIM_SEED: the seed of those choices (default 1).
 * Each account starts with one workspace, one bot and three agents.
 */

const port = Number(process.env.OSCAR_SIM_PORT ?? process.env.PORT ?? 4200);
const configuredKeys = (process.env.OSCAR_SIM_API_KEYS ?? "").split(",").map((k) => k.trim()).filter(Boolean);
const acceptAnyKey = ["1", "true"].includes(process.env.OSCAR_SIM_ACCEPT_ANY_KEY ?? "");
const delivery = process.env.OSCAR_SIM_DELIVERY === "calm" ? "calm" : "realistic";
const seed = Number(process.env.OSCAR_SIM_SEED ?? 1);
const logger = createLogger({ name: "oscar-simulator", level: process.env.LOG_LEVEL ?? "info" });

const sim = await startOscarSimulator({
  port,
  apiKeys: configuredKeys.length ? configuredKeys : [DEFAULT_SIM_API_KEY],
  acceptAnyKey,
  delivery,
  seed: Number.isInteger(seed) ? seed : 1,
  logger,
});

const lines = [`Oscar simulator listening on ${sim.url}`, `  OSCAR_API_BASE=${sim.baseUrl}`];
lines.push(configuredKeys.length ? `  accepts the ${configuredKeys.length} key(s) in OSCAR_SIM_API_KEYS` : `  accepts the test key ${DEFAULT_SIM_API_KEY}`);
if (acceptAnyKey) lines.push("  and any other key, each with an account of its own (see GET /_sim/accounts)");
for (const account of sim.inspect.accounts()) {
  lines.push(`  key #${account.keyId}: workspace ${account.workspaceId}, bot ${account.botId}, agents ${account.agentIds.join(", ")}`);
  lines.push(`    chat widgets ${account.widgetIds.join(", ")}: <script async src="${sim.widgetLoaderUrl}" data-widget-id="…">`);
}
lines.push(`  webhooks: ${delivery === "calm" ? "calm (each once, in order)" : "realistic (some twice, some out of order)"}, seed ${seed}`);
lines.push("  scenario, inspection and faults: /_sim/… (see sim/oscar/control.ts)");
lines.push(`  agent inbox: ${sim.url}/inbox (no Slack messages here: the sandbox shows its own)`);
process.stdout.write(`${lines.join("\n")}\n`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void sim.close().then(() => process.exit(0));
  });
}
