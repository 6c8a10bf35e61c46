import type { PrismaClient } from "@prisma/client";
import { z } from "zod";
import { SHOP_DETAILS_QUERY } from "../graphql/shop-details";
import type { Logger } from "../logger.server";
import { saveShopDetails } from "../models/shop.server";
import type { AdminGraphql } from "../shopify/admin-graphql.server";
import { runAdminQuery } from "../shopify/admin-graphql.server";

const shopDetailsResponse = z.object({
  shop: z.object({
    name: z.string(),
    currencyCode: z.string(),
    ianaTimezone: z.string(),
    plan: z.object({ publicDisplayName: z.string() }),
  }),
});

/** Reads the store's name, currency, timezone and plan from Shopify and stores them. */
export async function syncShopDetails(
  { db, graphql, logger, now = () => new Date() }: { db: PrismaClient; graphql: AdminGraphql; logger: Logger; now?: () => Date },
  shop: string,
) {
  const data = await runAdminQuery(graphql, SHOP_DETAILS_QUERY, shopDetailsResponse);
  const details = {
    name: data.shop.name,
    currencyCode: data.shop.currencyCode,
    ianaTimezone: data.shop.ianaTimezone,
    planName: data.shop.plan.publicDisplayName,
  };
  await saveShopDetails(db, shop, details, now());
  logger.info({ shop, currencyCode: details.currencyCode, ianaTimezone: details.ianaTimezone }, "shop details stored");
  return details;
}
