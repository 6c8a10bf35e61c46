import type { PrismaClient } from "@prisma/client";
import type { Job } from "bullmq";
import type { Logger } from "../../app/logger.server";
import { parseJobPayload } from "../../app/queues/jobs";
import { syncShopDetails } from "../../app/services/shop-details.server";
import type { AdminGraphql } from "../../app/shopify/admin-graphql.server";

export type AdminGraphqlFor = (shop: string) => Promise<AdminGraphql>;

/** `shop.sync-details`: store the shop's name, currency, timezone and plan. Safe to run twice. */
export function createShopDetailsProcessor({ db, adminGraphqlFor, logger }: { db: PrismaClient; adminGraphqlFor: AdminGraphqlFor; logger: Logger }) {
  return async (job: Job) => {
    const { shop } = parseJobPayload("shop.sync-details", job.data);
    const graphql = await adminGraphqlFor(shop);
    await syncShopDetails({ db, graphql, logger: logger.child({ job: job.name, jobId: job.id }) }, shop);
  };
}
