import type { PrismaClient } from "@prisma/client";
import { z } from "zod";

export const scopesUpdatePayload = z.object({ current: z.array(z.string()) });

/**
 * app/scopes_update: the merchant approved a change of access. Every stored session of the shop and
 * the Shop row take the scopes Shopify now grants; a repeat writes the same values again.
 */
export async function recordGrantedScopes(db: PrismaClient, shop: string, scopes: string[]): Promise<void> {
  const scope = scopes.join(",");
  await db.$transaction([
    db.session.updateMany({ where: { shop }, data: { scope } }),
    db.shop.updateMany({ where: { domain: shop }, data: { scopes: scope } }),
  ]);
}
