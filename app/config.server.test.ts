import { describe, expect, it } from "vitest";
import { loadConfig } from "./config.server";
import { startAppServer, startWorkerProcess } from "../test/harness/processes";

const valid = {
  SHOPIFY_API_KEY: "key",
  SHOPIFY_API_SECRET: "secret",
  SHOPIFY_APP_URL: "https://oscar.example.com",
  ENCRYPTION_KEYS: `1:${Buffer.alloc(32, 7).toString("base64")}`,
};

describe("configuration", () => {
  it("applies defaults for everything optional", () => {
    const config = loadConfig(valid);
    expect(config.databaseUrl).toBe("file:./data/app.sqlite");
    expect(config.redis).toEqual({ url: "redis://127.0.0.1:6379", prefix: "oscar" });
    expect(config.oscarApiBase).toBe("https://api.oscarchat.ai/v1");
    expect(config.shopify.scopes).toEqual(["read_customers", "read_orders", "read_products", "read_content", "read_legal_policies", "read_themes"]);
    expect(config.sandbox).toBeNull();
  });

  it.each([
    [{ SHOPIFY_API_SECRET: undefined }, "SHOPIFY_API_SECRET is missing: set it to your app's client secret from the Shopify Partner Dashboard."],
    [{ SHOPIFY_API_SECRET: "" }, "SHOPIFY_API_SECRET is empty: set it to your app's client secret from the Shopify Partner Dashboard."],
    [{ SHOPIFY_APP_URL: "oscar.example.com" }, "SHOPIFY_APP_URL must be a URL such as https://oscar-chat.example.com (the public URL of this app)."],
    [{ REDIS_URL: "localhost:6379" }, "REDIS_URL must be a Redis URL such as redis://127.0.0.1:6379."],
    [{ DATABASE_URL: "mysql://db" }, "DATABASE_URL must start with file: (SQLite) or postgresql:// (PostgreSQL)."],
    [{ WORKER_CONCURRENCY: "lots" }, "WORKER_CONCURRENCY must be a whole number from 1 to 100."],
    [{ ENCRYPTION_KEYS: undefined }, "ENCRYPTION_KEYS is missing: set it to 1:<base64 of 32 random bytes>, e.g. the output of npm run --silent generate:key."],
    [{ ENCRYPTION_KEYS: "1:c2hvcnQ=" }, "ENCRYPTION_KEYS is not valid: key version 1 must be 32 bytes (base64 of 32 random bytes)."],
  ])("names the bad setting in one sentence: %o", (override, sentence) => {
    expect(() => loadConfig({ ...valid, ...override })).toThrow(sentence);
  });

  const local = { NODE_ENV: "test", SHOPIFY_APP_URL: "http://127.0.0.1:3000" };
  const OUTSIDE = "outside a local sandbox (NODE_ENV development or test and SHOPIFY_APP_URL on 127.0.0.1, ::1 or localhost)";

  it.each([
    [{}, "unset"],
    [{ NODE_ENV: "production", SHOPIFY_APP_URL: "http://127.0.0.1:3000" }, "production on loopback"],
    [{ NODE_ENV: "development" }, "development on a public URL"],
    [{ NODE_ENV: "test", SHOPIFY_APP_URL: "http://10.0.0.5:3000" }, "test on a private, not loopback, URL"],
  ])("runs as production when NODE_ENV is %o (%s)", (override, _case) => {
    expect(loadConfig({ ...valid, ...override }).env).toBe("production");
  });

  it.each([
    [{ NODE_ENV: "test", SHOPIFY_APP_URL: "http://127.0.0.1:3000" }, "test"],
    [{ NODE_ENV: "development", SHOPIFY_APP_URL: "http://localhost:3000" }, "development"],
    [{ NODE_ENV: "development", SHOPIFY_APP_URL: "http://[::1]:3000" }, "development"],
  ])("runs as NODE_ENV asks only with a loopback app URL: %o", (override, env) => {
    const config = loadConfig({ ...valid, ...override, SANDBOX_MODE: "true", SHOPIFY_ADMIN_API_ORIGIN: "http://127.0.0.1:4100", OSCAR_API_BASE: "http://127.0.0.1:4200/v1" });
    expect(config.env).toBe(env);
    expect(config.sandbox).toEqual({ shop: "oscar-sandbox.myshopify.com" });
    expect(config.shopify.adminApiOrigin).toBe("http://127.0.0.1:4100");
    expect(config.oscarApiBase).toBe("http://127.0.0.1:4200/v1");
  });

  const SANDBOX_MODE_SENTENCE = `SANDBOX_MODE must not be set ${OUTSIDE}: the sandbox sign-in bypasses Shopify authentication.`;
  const ADMIN_ORIGIN_SENTENCE = `SHOPIFY_ADMIN_API_ORIGIN must not be set ${OUTSIDE}: it sends Admin API calls and access tokens away from Shopify.`;
  const OSCAR_HTTP_SENTENCE = `OSCAR_API_BASE must be an https URL ${OUTSIDE}: Oscar API keys must not cross the network in plain text.`;
  const OSCAR_INTERNAL_SENTENCE = `OSCAR_API_BASE must not point at a loopback, private or link-local address ${OUTSIDE}: Oscar API keys would go to a host inside this network.`;

  it.each([
    [{ SANDBOX_MODE: "true" }, SANDBOX_MODE_SENTENCE],
    [{ NODE_ENV: "production", SANDBOX_MODE: "true", SHOPIFY_APP_URL: "http://127.0.0.1:3000" }, SANDBOX_MODE_SENTENCE],
    [{ NODE_ENV: "development", SANDBOX_MODE: "1" }, SANDBOX_MODE_SENTENCE],
    [{ SHOPIFY_ADMIN_API_ORIGIN: "http://127.0.0.1:4100" }, ADMIN_ORIGIN_SENTENCE],
    [{ NODE_ENV: "test", SHOPIFY_ADMIN_API_ORIGIN: "https://shopify.example.com" }, ADMIN_ORIGIN_SENTENCE],
    [{ OSCAR_API_BASE: "http://api.oscarchat.ai/v1" }, OSCAR_HTTP_SENTENCE],
    [{ OSCAR_API_BASE: "https://127.0.0.1:4200/v1" }, OSCAR_INTERNAL_SENTENCE],
    [{ OSCAR_API_BASE: "https://169.254.169.254/latest" }, OSCAR_INTERNAL_SENTENCE],
    [{ OSCAR_API_BASE: "https://[::ffff:10.1.2.3]/v1" }, OSCAR_INTERNAL_SENTENCE],
    [{ OSCAR_API_BASE: "https://oscar-sim/v1" }, OSCAR_INTERNAL_SENTENCE],
  ])("refuses sandbox-only settings outside a local sandbox: %o", (override, sentence) => {
    expect(() => loadConfig({ ...valid, ...override })).toThrow(sentence);
  });

  it("accepts what the sandbox and the tests set, on loopback with NODE_ENV test", () => {
    expect(() => loadConfig({ ...valid, ...local, OSCAR_API_BASE: "http://127.0.0.1:4200/v1", SHOPIFY_ADMIN_API_ORIGIN: "http://127.0.0.1:4100" })).not.toThrow();
  });

  it("stops the worker process with that sentence when SHOPIFY_API_SECRET is missing", async () => {
    const worker = startWorkerProcess({ ...valid, SHOPIFY_API_SECRET: undefined });
    const { code } = await worker.exited();
    expect(code).toBe(1);
    expect(worker.output().trim()).toBe(
      "Configuration error: SHOPIFY_API_SECRET is missing: set it to your app's client secret from the Shopify Partner Dashboard.",
    );
  });

  it("stops the web process with that sentence when SHOPIFY_API_SECRET is missing", async () => {
    const app = startAppServer({ ...valid, SHOPIFY_API_SECRET: undefined, PORT: "0" });
    const { code } = await app.exited();
    expect(code).toBe(1);
    expect(app.output()).toContain(
      "Configuration error: SHOPIFY_API_SECRET is missing: set it to your app's client secret from the Shopify Partner Dashboard.",
    );
  });
});
