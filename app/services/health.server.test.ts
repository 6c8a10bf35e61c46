import { describe, expect, it } from "vitest";
import { createPrismaClient } from "../db/client.server";
import { createProducerConnection } from "../queues/redis.server";
import { SHARED_REDIS_URL } from "../../test/harness/redis";
import { freshDatabase } from "../../test/harness/database";
import { checkHealth } from "./health.server";

describe("checkHealth", () => {
  // A load balancer's first probe can arrive while the web process's Redis connection (which has
  // no offline queue) is still connecting; that is not an outage and must not take it out of rotation.
  it("reports ok for a Redis connection that is still connecting", async () => {
    const database = await freshDatabase("health-check");
    const db = createPrismaClient(database.url);
    const redis = createProducerConnection(SHARED_REDIS_URL);
    redis.on("error", () => {});
    try {
      expect(redis.status).not.toBe("ready");
      const report = await checkHealth({ db, redis });
      expect(report).toMatchObject({ status: "ok", database: { ok: true }, redis: { ok: true } });
    } finally {
      redis.disconnect();
      await db.$disconnect();
    }
  });
});
