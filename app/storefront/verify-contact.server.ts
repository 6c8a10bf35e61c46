import { z } from "zod";
import { verifyShopperIdentity, type ShopperIdentityRejection, type SignedOrder } from "./identity.server";

export type ContactVerification =
  | {
      verified: true;
      customerId: string;
      customerGid: string;
      /** The order the shopper came from the order status page to ask about (an order-help token), else null. */
      order: (SignedOrder & { gid: string }) | null;
    }
  | { verified: false; reason: ShopperIdentityRejection | "no-identity" };

// Loose on purpose: webhook contacts come in many shapes, and a field of the wrong type is simply not a claim.
const claim = z.union([z.string(), z.number()]).optional().catch(undefined);
const contactSchema = z
  .object({
    email: claim,
    custom_attributes: z
      .object({ oscar_identity: claim, email: claim, user_id: claim })
      .loose()
      .optional()
      .catch(undefined),
  })
  .loose()
  .catch({});

/**
 * Whether an Oscar contact is the Shopify customer it says it is: its `oscar_identity` attribute must be
 * a token this app signed for this shop, for every email and user id the contact claims. What the
 * workers call before they trust a contact with a customer's orders. Never throws on garbage.
 */
export function verifyContactIdentity(
  { appSecret, shop, now }: { appSecret: string; shop: string; now: Date },
  contact: unknown,
): ContactVerification {
  const parsed = contactSchema.parse(typeof contact === "object" && contact !== null ? contact : {});
  const attributes = parsed.custom_attributes ?? {};
  const token = attributes.oscar_identity;
  if (token === undefined || token === "") return { verified: false, reason: "no-identity" };

  const customerId = attributes.user_id;
  // The contact's own email and the one in its attributes may differ: each must be the signed one.
  const emails = [...new Set([parsed.email, attributes.email].filter((e) => e !== undefined).map(String))];
  let result = verifyShopperIdentity({ secret: appSecret, token, shop, now, customerId, email: emails[0] });
  if (result.verified && emails[1] !== undefined) {
    result = verifyShopperIdentity({ secret: appSecret, token, shop, now, customerId, email: emails[1] });
  }
  if (!result.verified) return result;
  return {
    verified: true,
    customerId: result.customerId,
    customerGid: `gid://shopify/Customer/${result.customerId}`,
    order: result.order ? { ...result.order, gid: `gid://shopify/Order/${result.order.id}` } : null,
  };
}
