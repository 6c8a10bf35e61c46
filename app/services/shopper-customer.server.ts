import type { AdminGraphql } from "../shopify/admin-graphql.server";
import type { ContactVerification } from "../storefront/verify-contact.server";

/** The order a signed-in shopper came from the order status page to ask about (signed with their identity). */
export type OrderInQuestion = Extract<ContactVerification, { verified: true }>["order"];
import type { CustomerLookup, ShopifyCustomer } from "./customer-lookup.server";

/**
 * Who a chat's shopper is, as far as the app can tell:
 * - "signed-in": the contact carries a storefront identity this app signed; the customer is the one
 *   that identity names (null if Shopify no longer has it). Only this kind yields facts, and only it can
 *   carry an order in question: the one an order-help identity was minted for (null otherwise).
 * - "claimed": only an email the shopper typed; the customer with exactly that email, if any, is a
 *   lead for agents to confirm, never a fact to write or count.
 * - "anonymous": neither.
 */
export type ShopperCustomer =
  | { kind: "signed-in"; customer: ShopifyCustomer | null; order: OrderInQuestion }
  | { kind: "claimed"; customer: ShopifyCustomer | null }
  | { kind: "anonymous" };

export type ShopperCustomerDeps = {
  findCustomer: CustomerLookup;
  adminGraphql: () => Promise<AdminGraphql>;
  /** Whether the contact carries an identity the storefront signed for a logged-in customer. */
  verifyIdentity: (contact: unknown) => ContactVerification;
};

/** Finds the shopper's customer: by the signed customer id when there is one, else by the typed email. */
export async function findShopperCustomer(deps: ShopperCustomerDeps, shop: string, contact: { email?: string | null } | null | undefined): Promise<ShopperCustomer> {
  const verification = deps.verifyIdentity(contact ?? {});
  if (verification.verified) {
    return { kind: "signed-in", customer: await deps.findCustomer.byId(shop, verification.customerGid, deps.adminGraphql), order: verification.order };
  }
  const email = contact?.email?.trim();
  if (!email) return { kind: "anonymous" };
  return { kind: "claimed", customer: await deps.findCustomer.byEmail(shop, email, deps.adminGraphql) };
}

/** A signed-in shopper's customer, or null without asking Shopify anything for a shopper who is not signed in. */
export async function findVerifiedCustomer(deps: ShopperCustomerDeps, shop: string, contact: unknown): Promise<ShopifyCustomer | null> {
  const verification = deps.verifyIdentity(contact ?? {});
  return verification.verified ? deps.findCustomer.byId(shop, verification.customerGid, deps.adminGraphql) : null;
}
