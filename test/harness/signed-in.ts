import { signShopperIdentity } from "../../app/storefront/identity.server";
import { TEST_API_SECRET, TEST_SHOP } from "./app-stack";

/**
 * The contact attributes the theme app embed gives Oscar for a shopper logged in to the store as
 * this customer: the identity the app signed (through the app proxy) and the customer id it names.
 */
export function signedInAs(customer: { id: string; email: string }, { shop = TEST_SHOP, now = new Date(), ttlSeconds }: { shop?: string; now?: Date; ttlSeconds?: number } = {}) {
  const customerId = customer.id.slice(customer.id.lastIndexOf("/") + 1);
  return {
    oscar_identity: signShopperIdentity({ secret: TEST_API_SECRET, shop, customerId, email: customer.email, now, ...(ttlSeconds === undefined ? {} : { ttlSeconds }) }),
    user_id: customerId,
  };
}
