import { config } from "../config.server";
import prisma from "../db.server";
import { logger } from "../logger.instance.server";
import { producer, producerRedis } from "../queues/index.server";
import type { FlowActionDeps } from "./flow-actions.server";
import { announceFlowTriggerUsageChanged } from "./flow-trigger-usage-cache.server";
import type { FlowTriggerLifecycleDeps } from "./flow-trigger-lifecycle.server";

/** What the Flow action and lifecycle routes talk to, built once per web process from the setup modules. */

const settings = config();

export const flowActionDeps: FlowActionDeps = {
  db: prisma,
  producer,
  keyring: settings.encryption,
  appSecret: settings.shopify.apiSecret,
  logger,
};

export const flowTriggerLifecycleDeps: FlowTriggerLifecycleDeps = {
  db: prisma,
  appSecret: settings.shopify.apiSecret,
  logger,
  announceUsageChanged: (shop) => announceFlowTriggerUsageChanged(producerRedis, settings.redis.prefix, shop),
};
