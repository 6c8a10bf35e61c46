import type { PrismaClient } from "@prisma/client";
import { z } from "zod";
import { turnOffCommandsWithoutAccess } from "./order-command-settings.server";

export const scopesUpdatePayload = z.object({ current: z.array(z.string()) });

/**
 * app/scopes_update: the merchant approved a change of access, or took an optional scope back. Every
 * stored session of the shop and the Shop row take the scopes Shopify now grants, and order commands
 * whose access is gone are turned off; a repeat writes the same values again.
 */
export async function recordGrantedScopes(db: PrismaClient, shop: string, scopes: string[]): Promise<void> {
  const scope = scopes.join(",");
  await db.$transaction([
    db.session.updateMany({ where: { shop }, data: { scope } }),
    db.shop.updateMany({ where: { domain: shop }, data: { scopes: scope } }),
  ]);
  await turnOffCommandsWithoutAccess(db, shop, scopes);
}
