import type { PrismaClient } from "@prisma/client";
import type { Logger } from "../logger.server";
import { markInstalled } from "../models/shop.server";
import type { JobProducer } from "../queues/producer.server";

type Deps = { db: PrismaClient; producer: JobProducer; logger: Logger };

/**
 * Runs after Shopify authenticates a shop (install, reinstall, or a fresh offline token).
 * The Admin API read happens in the worker so the merchant's first page load is not kept waiting.
 */
export async function recordInstall({ db, producer, logger }: Deps, { shop, scopes }: { shop: string; scopes: string | null }) {
  await markInstalled(db, shop, scopes);
  // One pending details job per shop: a burst of re-authentications queues it once.
  await producer.enqueue("shop.sync-details", { shop }, { jobId: `shop-details-${shop}` });
  logger.info({ shop }, "shop installed; details sync queued");
}
