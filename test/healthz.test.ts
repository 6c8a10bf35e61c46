import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppStack, type AppStack } from "./harness/app-stack";
import { startOwnRedis } from "./harness/redis";

async function health(stack: AppStack) {
  const response = await fetch(`${stack.appUrl}/healthz`);
  return { status: response.status, body: (await response.json()) as { status: string; database: { ok: boolean }; redis: { ok: boolean } } };
}

async function eventually(check: () => Promise<boolean>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("not reached in time");
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("GET /healthz", () => {
  let redis: Awaited<ReturnType<typeof startOwnRedis>>;
  let stack: AppStack;
  beforeAll(async () => {
    redis = await startOwnRedis();
    stack = await startAppStack({ label: "healthz", redisUrl: redis.url });
  });
  afterAll(async () => {
    await stack?.close();
    await redis?.stop();
  });

  it("answers 200 while the database and Redis answer", async () => {
    const { status, body } = await health(stack);
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: "ok", database: { ok: true }, redis: { ok: true } });
  });

  it("answers 503 naming Redis while Redis is stopped, and 200 again once it is back", async () => {
    await redis.stop();
    const down = await health(stack);
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ status: "degraded", database: { ok: true }, redis: { ok: false, error: "Redis did not answer." } });

    await redis.start();
    await eventually(async () => (await health(stack)).status === 200);
    expect((await health(stack)).body).toMatchObject({ status: "ok", redis: { ok: true } });
  });
});
