import type { PrismaClient } from "@prisma/client";
import type { Redis } from "ioredis";
import type { Logger } from "../logger.server";
import { belongsToShop, namedForShop, PENDING_STATES, type JobRemoval } from "../queues/job-removal.server";
import { forgetCachedCustomers } from "./customer-lookup.server";
import { forgetUnexpectedOscarEvents } from "./unexpected-oscar-events.server";

export type UninstallDeps = {
  db: PrismaClient;
  redis: Redis;
  /** Prefix of the app's own Redis keys, e.g. "oscar:". */
  prefix: string;
  jobs: JobRemoval;
  /** Removes the shop's webhook at Oscar (when its key still works) and erases the key. */
  disconnectOscar: (shop: string) => Promise<{ webhookRemoved: boolean }>;
  logger: Logger;
  now?: () => Date;
};

/**
 * app/uninstalled: the app stops acting for the shop at once (Oscar stops sending its events, no
 * queued work runs, its access tokens are gone) and its data is marked for the purge that
 * shop/redact performs 48 hours later. Every step is safe to repeat.
 */
export async function uninstallShop(deps: UninstallDeps, shop: string) {
  const now = deps.now ?? (() => new Date());
  const { webhookRemoved } = await deps.disconnectOscar(shop);
  // Schedulers first: BullMQ refuses to remove a scheduler's next job while the scheduler exists.
  const schedulers = await deps.jobs.removeSchedulers(namedForShop(shop));
  // Jobs already running finish or fail on their own: without a session or an Oscar key they cannot act.
  const { removed: jobs } = await deps.jobs.removeJobs(await deps.jobs.findJobs(PENDING_STATES, belongsToShop(shop)));
  // Cached Shopify customer records have no use once the app cannot read the store.
  await forgetCachedCustomers(deps.redis, deps.prefix, shop);
  // Events kept for inspection hold shoppers' messages: nobody will inspect them any more.
  await forgetUnexpectedOscarEvents(deps.redis, deps.prefix, shop);
  const sessions = await deps.db.session.deleteMany({ where: { shop } });
  await deps.db.shop.updateMany({ where: { domain: shop, uninstalledAt: null }, data: { uninstalledAt: now() } });
  deps.logger.info({ shop, webhookRemoved, jobs, schedulers, sessions: sessions.count }, "app uninstalled");
  return { webhookRemoved, jobs, schedulers, sessions: sessions.count };
}
