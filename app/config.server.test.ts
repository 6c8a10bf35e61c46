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
    [{ NODE_ENV: "production", SANDBOX_MODE: "true" }, "SANDBOX_MODE must not be set when NODE_ENV is production: the sandbox sign-in bypasses Shopify authentication."],
  ])("names the bad setting in one sentence: %o", (override, sentence) => {
    expect(() => loadConfig({ ...valid, ...override })).toThrow(sentence);
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
