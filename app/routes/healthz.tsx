import prisma from "../db.server";
import { producerRedis } from "../queues/index.server";
import { checkHealth } from "../services/health.server";
import { jsonResponse } from "../http/json.server";

// For load balancers and uptime checks: 200 when the database and Redis both answer, 503 otherwise.
export const loader = async () => {
  const report = await checkHealth({ db: prisma, redis: producerRedis });
  return jsonResponse(report, {
    status: report.status === "ok" ? 200 : 503,
    headers: { "Cache-Control": "no-store" },
  });
};
