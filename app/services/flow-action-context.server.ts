import { config } from "../config.server";
import prisma from "../db.server";
import { logger } from "../logger.instance.server";
import { producer } from "../queues/index.server";
import type { FlowActionDeps } from "./flow-actions.server";

/** What the Flow action routes talk to, built once per web process from the setup modules. */

const settings = config();

export const flowActionDeps: FlowActionDeps = {
  db: prisma,
  producer,
  keyring: settings.encryption,
  appSecret: settings.shopify.apiSecret,
  logger,
};
