import { z } from "zod";
import { STOREFRONT_CUSTOMER_QUERY } from "../graphql/storefront-customer";
import { runAdminQuery, type AdminGraphql } from "../shopify/admin-graphql.server";
import { IDENTITY_TTL_SECONDS, signShopperIdentity } from "./identity.server";

/**
 * What the storefront passes to `OscarChat('identify', …)` for a logged-in customer: who they are and
 * the app's signature, nothing else. Orders, spend and the merchant's customer tags never go to the
 * browser; the worker writes what agents need onto the contact, and only for a verified shopper.
 */
export type ShopperIdentify = {
  user_id: string;
  email: string | null;
  name: string | null;
  /** The app's signature over this customer id, email and shop (see identity.server.ts). */
  oscar_identity: string;
};

/** The identify payload and when its signature expires (seconds since the epoch), so the page can renew it. */
export type SignedShopperIdentity = { identity: ShopperIdentify; expiresAt: number };

const customerResponse = z.object({
  customer: z
    .object({
      firstName: z.string().nullable(),
      lastName: z.string().nullable(),
      defaultEmailAddress: z.object({ emailAddress: z.string().nullable() }).nullable(),
    })
    .nullable(),
});

/**
 * The identify payload for the customer Shopify says is logged in, read fresh from the Admin API and
 * signed, or null when the shop has no such customer (deleted since the page was served).
 */
export async function identifyLoggedInShopper(
  { graphql, appSecret, now }: { graphql: AdminGraphql; appSecret: string; now: Date },
  { shop, customerId }: { shop: string; customerId: string },
): Promise<SignedShopperIdentity | null> {
  const { customer } = await runAdminQuery(graphql, STOREFRONT_CUSTOMER_QUERY, customerResponse, {
    id: `gid://shopify/Customer/${customerId}`,
  });
  if (!customer) return null;
  const email = customer.defaultEmailAddress?.emailAddress ?? null;
  const name = [customer.firstName, customer.lastName].filter(Boolean).join(" ").trim();
  return {
    identity: {
      user_id: customerId,
      email,
      name: name || null,
      oscar_identity: signShopperIdentity({ secret: appSecret, shop, customerId, email, now }),
    },
    expiresAt: Math.floor(now.getTime() / 1000) + IDENTITY_TTL_SECONDS,
  };
}
