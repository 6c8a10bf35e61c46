import { config } from "../config.server";
import prisma from "../db.server";
import { producerRedis } from "../queues/index.server";
import { createKnowledgeSyncScheduler } from "../queues/knowledge-sync-schedule.server";
import type { KnowledgeRequestDeps } from "./knowledge-admin.server";

/** What the Knowledge page and the product/collection webhooks use in the web process, built once. */
export const knowledgeDeps: KnowledgeRequestDeps = {
  db: prisma,
  scheduler: createKnowledgeSyncScheduler({ connection: producerRedis, prefix: config().redis.prefix }),
};
