import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BROWSER_UA, startAppStack, TEST_API_KEY, TEST_API_SECRET, TEST_ENCRYPTION_KEYS, type AppStack } from "../harness/app-stack";
import { startAppServer } from "../harness/processes";

/**
 * The sandbox signs in without Shopify and points the app at stand-ins. The built server must refuse
 * all of it unless NODE_ENV explicitly asks for development or test AND the app is served on loopback.
 */

const OUTSIDE = "outside a local sandbox (NODE_ENV development or test and SHOPIFY_APP_URL on 127.0.0.1, ::1 or localhost)";

// No NODE_ENV at all: what a new operator gets by forgetting it.
const unsetNodeEnv = {
  PORT: "0",
  HOST: "127.0.0.1",
  SHOPIFY_API_KEY: TEST_API_KEY,
  SHOPIFY_API_SECRET: TEST_API_SECRET,
  SHOPIFY_APP_URL: "http://127.0.0.1:3000",
  ENCRYPTION_KEYS: TEST_ENCRYPTION_KEYS,
};

async function refusedStart(env: Record<string, string>): Promise<string> {
  const app = startAppServer(env);
  const { code } = await app.exited();
  expect(code).toBe(1);
  const errors = app.output().split("\n").filter((line) => line.startsWith("Configuration error:"));
  expect(errors).toHaveLength(1);
  return errors[0];
}

describe("sandbox-only settings fail closed on the built server", () => {
  it("refuses to start with SANDBOX_MODE=true when NODE_ENV is unset, in one sentence naming the variable", async () => {
    expect(await refusedStart({ ...unsetNodeEnv, SANDBOX_MODE: "true" })).toBe(
      `Configuration error: SANDBOX_MODE must not be set ${OUTSIDE}: the sandbox sign-in bypasses Shopify authentication.`,
    );
  });

  it("refuses SANDBOX_MODE with NODE_ENV=test when the app URL is not loopback", async () => {
    expect(await refusedStart({ ...unsetNodeEnv, NODE_ENV: "test", SHOPIFY_APP_URL: "https://oscar-chat.example.com", SANDBOX_MODE: "true" })).toContain(
      "SANDBOX_MODE must not be set outside a local sandbox",
    );
  });

  it("refuses SHOPIFY_ADMIN_API_ORIGIN pointing at an internal address when NODE_ENV is unset", async () => {
    expect(await refusedStart({ ...unsetNodeEnv, SHOPIFY_ADMIN_API_ORIGIN: "http://10.0.0.7:4100" })).toBe(
      `Configuration error: SHOPIFY_ADMIN_API_ORIGIN must not be set ${OUTSIDE}: it sends Admin API calls and access tokens away from Shopify.`,
    );
  });

  it("refuses OSCAR_API_BASE pointing at an internal address (cloud metadata) when NODE_ENV is unset", async () => {
    expect(await refusedStart({ ...unsetNodeEnv, OSCAR_API_BASE: "https://169.254.169.254/latest" })).toBe(
      `Configuration error: OSCAR_API_BASE must not point at a loopback, private or link-local address ${OUTSIDE}: Oscar API keys would go to a host inside this network.`,
    );
  });

  it("refuses a plain-http OSCAR_API_BASE in production", async () => {
    expect(await refusedStart({ ...unsetNodeEnv, NODE_ENV: "production", OSCAR_API_BASE: "http://api.oscarchat.ai/v1" })).toBe(
      `Configuration error: OSCAR_API_BASE must be an https URL ${OUTSIDE}: Oscar API keys must not cross the network in plain text.`,
    );
  });
});

describe("the built server with NODE_ENV unset", () => {
  let stack: AppStack;

  beforeAll(async () => {
    // An empty value counts as unset; the fake Admin API's origin is a sandbox-only switch, so it goes too.
    stack = await startAppStack({ label: "sandbox-fail-closed", extraEnv: { NODE_ENV: "", SHOPIFY_ADMIN_API_ORIGIN: "" } });
  });
  afterAll(() => stack?.close());

  it("answers 404 for every sandbox route", async () => {
    for (const path of ["/sandbox", "/sandbox/session-token", "/sandbox/app-bridge.js"]) {
      const response = await fetch(`${stack.appUrl}${path}`, { headers: { "User-Agent": BROWSER_UA }, redirect: "manual" });
      expect(response.status, path).toBe(404);
      await response.body?.cancel();
    }
  });
});
