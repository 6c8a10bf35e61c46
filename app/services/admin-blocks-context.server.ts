import { config } from "../config.server";
import prisma from "../db.server";
import { logger } from "../logger.instance.server";
import { createOscarClientFactory } from "../oscar/for-shop.server";
import type { AdminBlocksDeps } from "./admin-blocks.server";
import { limiter } from "./settings-context.server";

/** What the admin blocks' endpoints talk to, built once per web process from the setup modules. */

const settings = config();

export const adminBlocksDeps: AdminBlocksDeps = {
  db: prisma,
  logger,
  // A merchant waits on the send: a few seconds of a slow Oscar, then "try again", never a hung dialog.
  oscarFor: createOscarClientFactory({ db: prisma, keyring: settings.encryption, baseUrl: settings.oscarApiBase, limiter, logger, timeoutMs: 5_000, retry: { maxAttempts: 2, maxTotalMs: 6_000 } }),
};
