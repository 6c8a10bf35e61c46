import type { PrismaClient, Shop } from "@prisma/client";

/** Data access for the Shop row. Every function takes the shop's domain: no query reaches another shop. */

export type ShopDetails = {
  name: string;
  currencyCode: string;
  ianaTimezone: string;
  planName: string;
};

export function findShop(db: PrismaClient, shop: string): Promise<Shop | null> {
  return db.shop.findUnique({ where: { domain: shop } });
}

/** Creates the row on first install, or marks a reinstall; safe to call on every authentication. */
export function markInstalled(db: PrismaClient, shop: string, scopes: string | null): Promise<Shop> {
  return db.shop.upsert({
    where: { domain: shop },
    create: { domain: shop, scopes },
    update: { scopes, uninstalledAt: null },
  });
}

export function saveShopDetails(db: PrismaClient, shop: string, details: ShopDetails, at: Date): Promise<Shop> {
  return db.shop.update({
    where: { domain: shop },
    data: { ...details, detailsSyncedAt: at },
  });
}
