import { resolve } from "node:path";
import { inject } from "vitest";
import { freePort } from "./ports";
import { startTsxScript, type RunningProcess } from "./processes";
import { deleteKeysWithPrefix, SHARED_REDIS_URL, testRedisPrefix } from "./redis";

export type SandboxRun = { process: RunningProcess; appUrl: string; oscarUrl: string; stop: () => Promise<void> };

/**
 * `npm run sandbox` (already built: `--no-build`) on free ports, with its own database file and Redis
 * prefix; resolves once it prints "Sandbox ready". `stop` ends it and removes its Redis keys.
 */
export async function startSandbox(label: string, args: string[], readyWithinMs: number): Promise<SandboxRun> {
  const [port, adminPort, oscarPort, accountPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const prefix = testRedisPrefix(label);
  const process = startTsxScript("scripts/sandbox.ts", ["--no-build", ...args], {
    PORT: String(port),
    SANDBOX_ADMIN_API_PORT: String(adminPort),
    SANDBOX_OSCAR_PORT: String(oscarPort),
    SANDBOX_ACCOUNT_PORT: String(accountPort),
    SANDBOX_DATABASE_FILE: resolve(inject("runDir"), `${label}.sqlite`),
    REDIS_URL: SHARED_REDIS_URL,
    REDIS_PREFIX: prefix,
  });
  const stop = async () => {
    await process.stop();
    await deleteKeysWithPrefix(prefix);
  };
  try {
    await process.waitForOutput(/Sandbox ready/, readyWithinMs);
  } catch (error) {
    await stop();
    throw error;
  }
  return { process, appUrl: `http://127.0.0.1:${port}`, oscarUrl: `http://127.0.0.1:${oscarPort}`, stop };
}
