import { z } from "zod";
import { parseKeyring, type EncryptionKeyring } from "./security/encryption.server";
import { isInternalHost, isLoopbackHost } from "./security/network-address";

/**
 * Every setting the app reads, validated once at start-up.
 * A bad or missing value stops the process with one sentence naming the variable and what to set.
 */

const LEAST_SCOPES = "read_customers,read_orders,read_products,read_content,read_legal_policies,read_themes";

const bool = z
  .enum(["true", "false", "1", "0", ""])
  .optional()
  .transform((v) => v === "true" || v === "1");

const url = (what: string) =>
  z.url({ error: `must be a URL such as ${what}` });

const configSchema = z.object({
  // Unset means production: development and test behaviour must be asked for (see localSandbox below).
  NODE_ENV: z.enum(["development", "production", "test"], {
    error: "must be development, production or test",
  }).default("production"),
  SHOPIFY_API_KEY: z.string({ error: "is missing: set it to your app's client id from the Shopify Partner Dashboard" })
    .min(1, "is empty: set it to your app's client id from the Shopify Partner Dashboard"),
  SHOPIFY_API_SECRET: z.string({ error: "is missing: set it to your app's client secret from the Shopify Partner Dashboard" })
    .min(1, "is empty: set it to your app's client secret from the Shopify Partner Dashboard"),
  ENCRYPTION_KEYS: z.string({ error: "is missing: set it to 1:<base64 of 32 random bytes>, e.g. the output of npm run --silent generate:key" })
    .min(1, "is empty: set it to 1:<base64 of 32 random bytes>, e.g. the output of npm run --silent generate:key"),
  SHOPIFY_APP_URL: url("https://oscar-chat.example.com (the public URL of this app)"),
  SCOPES: z.string().regex(/^[a-z_]+(,[a-z_]+)*$/, "must be a comma-separated list of Shopify access scopes such as read_orders,read_customers").default(LEAST_SCOPES),
  DATABASE_URL: z.string().regex(/^(file:|postgres(ql)?:\/\/)/, "must start with file: (SQLite) or postgresql:// (PostgreSQL)").default("file:./data/app.sqlite"),
  DATABASE_POOL_SIZE: z.coerce.number({ error: "must be a whole number from 1 to 100" }).int("must be a whole number from 1 to 100").min(1, "must be at least 1").max(100, "must be at most 100").default(10),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, "must be a Redis URL such as redis://127.0.0.1:6379").default("redis://127.0.0.1:6379"),
  REDIS_PREFIX: z.string().regex(/^[a-zA-Z0-9:_-]+$/, "must be letters, digits, ':', '_' or '-' (it prefixes every Redis key)").default("oscar"),
  OSCAR_API_BASE: url("https://api.oscarchat.ai/v1").default("https://api.oscarchat.ai/v1"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], {
    error: "must be one of fatal, error, warn, info, debug, trace, silent",
  }).default("info"),
  SANDBOX_MODE: bool,
  SANDBOX_SHOP: z.string().regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/, "must be a myshopify.com domain such as oscar-sandbox.myshopify.com").default("oscar-sandbox.myshopify.com"),
  // The sandbox's stand-in for Shopify's customer accounts (sim/customer-account/host.ts), where /sandbox?page=order-status leads.
  SANDBOX_ORDER_STATUS_URL: z.string().regex(/^http:\/\/127\.0\.0\.1:\d{1,5}\/?$/, "must be http://127.0.0.1:<port> (the sandbox's customer accounts stand-in)").optional(),
  SHOPIFY_ADMIN_API_ORIGIN: url("http://127.0.0.1:4100 (a local fake of the Shopify Admin API)").optional(),
  WORKER_LOCK_MS: z.coerce.number({ error: "must be a number of milliseconds from 1000 to 600000" }).int().min(1_000, "must be at least 1000 (ms)").max(600_000, "must be at most 600000 (ms)").default(30_000),
  JOB_ATTEMPTS: z.coerce.number({ error: "must be a whole number from 1 to 50" }).int("must be a whole number from 1 to 50").min(1, "must be at least 1").max(50, "must be at most 50").default(8),
  JOB_BACKOFF_MS: z.coerce.number({ error: "must be a number of milliseconds from 100 to 600000" }).int().min(100, "must be at least 100 (ms)").max(600_000, "must be at most 600000 (ms)").default(1_000),
  WORKER_CONCURRENCY: z.coerce.number({ error: "must be a whole number from 1 to 100" }).int("must be a whole number from 1 to 100").min(1, "must be at least 1").max(100, "must be at most 100").default(5),
});

export type Config = {
  /** "production" unless NODE_ENV asks for development or test and SHOPIFY_APP_URL is loopback. */
  env: "development" | "production" | "test";
  shopify: { apiKey: string; apiSecret: string; appUrl: string; scopes: string[]; adminApiOrigin?: string };
  databaseUrl: string;
  /** PostgreSQL connections one process may hold (SQLite ignores it). */
  databasePoolSize: number;
  /** Keys that encrypt secrets at rest; the first is used for new secrets. */
  encryption: EncryptionKeyring;
  redis: { url: string; prefix: string };
  oscarApiBase: string;
  logLevel: string;
  /** The sandbox shop, present only when SANDBOX_MODE is on (never in production). */
  sandbox: { shop: string; orderStatusUrl?: string } | null;
  workerConcurrency: number;
  /** How often a queued job (an Oscar event, a shop sync) is tried, and the first retry's delay (doubling), before it is a dead letter. */
  jobRetry: { attempts: number; backoffMs: number };
  /** How long a job stays locked to a worker without a heartbeat; a killed worker's jobs come back after it. */
  workerLockMs: number;
};

export class ConfigError extends Error {
  override name = "ConfigError";
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Treat empty strings from .env templates as "not set" so defaults apply, except for the secrets,
  // where an empty value is worth its own sentence.
  const input = Object.fromEntries(
    Object.entries(env).filter(([k, v]) => v !== "" || k === "SHOPIFY_API_KEY" || k === "SHOPIFY_API_SECRET"),
  );
  const parsed = configSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue.path[0] ?? "configuration");
    throw new ConfigError(`${name} ${issue.message}.`);
  }
  const c = parsed.data;
  let encryption: EncryptionKeyring;
  try {
    encryption = parseKeyring(c.ENCRYPTION_KEYS);
  } catch (error) {
    throw new ConfigError(`ENCRYPTION_KEYS is not valid: ${(error as Error).message}.`);
  }
  const local = isLocalSandbox(c.NODE_ENV, c.SHOPIFY_APP_URL);
  if (!local) refuseSandboxOnlySettings(c);
  return {
    env: local ? c.NODE_ENV : "production",
    shopify: {
      apiKey: c.SHOPIFY_API_KEY,
      apiSecret: c.SHOPIFY_API_SECRET,
      appUrl: c.SHOPIFY_APP_URL.replace(/\/$/, ""),
      scopes: c.SCOPES.split(","),
      adminApiOrigin: c.SHOPIFY_ADMIN_API_ORIGIN?.replace(/\/$/, ""),
    },
    databaseUrl: c.DATABASE_URL,
    databasePoolSize: c.DATABASE_POOL_SIZE,
    encryption,
    redis: { url: c.REDIS_URL, prefix: c.REDIS_PREFIX },
    oscarApiBase: c.OSCAR_API_BASE.replace(/\/$/, ""),
    logLevel: c.LOG_LEVEL,
    sandbox: c.SANDBOX_MODE ? { shop: c.SANDBOX_SHOP, ...(c.SANDBOX_ORDER_STATUS_URL ? { orderStatusUrl: c.SANDBOX_ORDER_STATUS_URL } : {}) } : null,
    workerConcurrency: c.WORKER_CONCURRENCY,
    jobRetry: { attempts: c.JOB_ATTEMPTS, backoffMs: c.JOB_BACKOFF_MS },
    workerLockMs: c.WORKER_LOCK_MS,
  };
}

/**
 * Development and test behaviour (sandbox sign-in, fake Admin API, plain-http Oscar, local Slack) only
 * when NODE_ENV asks for it AND the app is served to this machine alone; anything else is production.
 */
function isLocalSandbox(nodeEnv: string, appUrl: string): boolean {
  return nodeEnv !== "production" && isLoopbackHost(new URL(appUrl).hostname);
}

const OUTSIDE_SANDBOX = "outside a local sandbox (NODE_ENV development or test and SHOPIFY_APP_URL on 127.0.0.1, ::1 or localhost)";

function refuseSandboxOnlySettings(c: z.infer<typeof configSchema>): void {
  if (c.SANDBOX_MODE) {
    throw new ConfigError(`SANDBOX_MODE must not be set ${OUTSIDE_SANDBOX}: the sandbox sign-in bypasses Shopify authentication.`);
  }
  if (c.SHOPIFY_ADMIN_API_ORIGIN) {
    throw new ConfigError(`SHOPIFY_ADMIN_API_ORIGIN must not be set ${OUTSIDE_SANDBOX}: it sends Admin API calls and access tokens away from Shopify.`);
  }
  const oscar = new URL(c.OSCAR_API_BASE);
  if (oscar.protocol !== "https:") {
    throw new ConfigError(`OSCAR_API_BASE must be an https URL ${OUTSIDE_SANDBOX}: Oscar API keys must not cross the network in plain text.`);
  }
  if (isInternalHost(oscar.hostname)) {
    throw new ConfigError(`OSCAR_API_BASE must not point at a loopback, private or link-local address ${OUTSIDE_SANDBOX}: Oscar API keys would go to a host inside this network.`);
  }
}

let cached: Config | undefined;

/** The process's configuration; on a bad setting it prints the one sentence and exits. */
export function config(): Config {
  if (cached) return cached;
  try {
    cached = loadConfig();
    return cached;
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Configuration error: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}
