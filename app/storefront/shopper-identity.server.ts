import { z } from "zod";
import { STOREFRONT_CUSTOMER_QUERY } from "../graphql/storefront-customer";
import { runAdminQuery, type AdminGraphql } from "../shopify/admin-graphql.server";
import { signShopperIdentity } from "./identity.server";

/** What the storefront passes to `OscarChat('identify', …)` for a logged-in customer. */
export type ShopperIdentify = {
  user_id: string;
  email: string | null;
  name: string | null;
  total_orders: number;
  total_spent: number;
  currency: string;
  tags: string[];
  created_at: string;
  /** The app's signature over this customer id, email and shop (see identity.server.ts). */
  oscar_identity: string;
};

const customerResponse = z.object({
  customer: z
    .object({
      firstName: z.string().nullable(),
      lastName: z.string().nullable(),
      defaultEmailAddress: z.object({ emailAddress: z.string().nullable() }).nullable(),
      // UnsignedInt64 arrives as a string.
      numberOfOrders: z.coerce.number(),
      amountSpent: z.object({ amount: z.coerce.number(), currencyCode: z.string() }),
      tags: z.array(z.string()),
      createdAt: z.string(),
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
): Promise<ShopperIdentify | null> {
  const { customer } = await runAdminQuery(graphql, STOREFRONT_CUSTOMER_QUERY, customerResponse, {
    id: `gid://shopify/Customer/${customerId}`,
  });
  if (!customer) return null;
  const email = customer.defaultEmailAddress?.emailAddress ?? null;
  const name = [customer.firstName, customer.lastName].filter(Boolean).join(" ").trim();
  return {
    user_id: customerId,
    email,
    name: name || null,
    total_orders: customer.numberOfOrders,
    total_spent: customer.amountSpent.amount,
    currency: customer.amountSpent.currencyCode,
    tags: customer.tags,
    created_at: customer.createdAt,
    oscar_identity: signShopperIdentity({ secret: appSecret, shop, customerId, email, now }),
  };
}
