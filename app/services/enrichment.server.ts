import type { PrismaClient } from "@prisma/client";
import type { Logger } from "../logger.server";
import { claimMilestone, findConversationRecord } from "../models/conversation-record.server";
import type { OscarWebhookEventOf } from "../oscar/contract";
import type { OscarClient } from "../oscar/client.server";
import { ProtectedDataDenied, type AdminGraphql } from "../shopify/admin-graphql.server";
import type { ContactVerification } from "../storefront/verify-contact.server";
import type { CustomerLookup } from "./customer-lookup.server";
import { customerAttributes, formatCustomerNote, identityLine, NO_CUSTOMER_NOTE, NO_EMAIL_NOTE, withheldCustomerNote } from "./enrichment-note";

export type EnrichmentDeps = {
  db: PrismaClient;
  oscar: OscarClient;
  adminGraphql: () => Promise<AdminGraphql>;
  findCustomer: CustomerLookup;
  /** Whether the contact carries an identity the storefront signed for a logged-in customer. */
  verifyIdentity: (contact: unknown) => ContactVerification;
  logger: Logger;
  now?: () => Date;
};

export type EnrichmentOutcome = "customer" | "no-email" | "no-customer" | "withheld" | "already-enriched";

/**
 * conversation.created → one private note telling agents who the shopper is (orders, totals,
 * tracking) and the contact's attributes set from Shopify. Safe to run twice: a conversation is
 * enriched once, and a retried note is found by its idempotency marker instead of posted again.
 */
export async function enrichConversation(
  deps: EnrichmentDeps,
  shop: string,
  event: OscarWebhookEventOf<"conversation.created">,
  { retrying }: { retrying: boolean },
): Promise<EnrichmentOutcome> {
  const now = deps.now ?? (() => new Date());
  const conversationId = event.data.conversation_id;
  const contact = event.data.contact;
  if ((await findConversationRecord(deps.db, shop, conversationId))?.enrichedAt) return "already-enriched";

  const note = (content: string) =>
    deps.oscar.postMessage(
      conversationId,
      { content, message_type: "activity", content_type: "markdown", private: true },
      { idempotencyKey: `enrichment:${conversationId}`, checkFirst: retrying },
    );

  const email = contact.email?.trim();
  if (!email) {
    await note(NO_EMAIL_NOTE);
    await claimMilestone(deps.db, shop, conversationId, "enrichedAt", now(), { enrichmentOutcome: "no-email" });
    return "no-email";
  }

  const customer = await deps.findCustomer(shop, email, deps.adminGraphql).catch((error: unknown) => {
    if (error instanceof ProtectedDataDenied) return error;
    throw error;
  });
  if (customer instanceof ProtectedDataDenied) {
    // Shopify withheld protected customer data: agents read why, the merchant's home page says what to request.
    await note(withheldCustomerNote(customer.denied.map((d) => d.path)));
    await claimMilestone(deps.db, shop, conversationId, "enrichedAt", now(), { enrichmentOutcome: "withheld" });
    deps.logger.warn({ shop, conversationId, withheld: customer.denied }, "Shopify withheld protected customer data from the customer look-up");
    return "withheld";
  }
  if (!customer) {
    await note(NO_CUSTOMER_NOTE);
    await claimMilestone(deps.db, shop, conversationId, "enrichedAt", now(), { enrichmentOutcome: "no-customer" });
    return "no-customer";
  }

  // An email typed into the chat is a claim; only a signed storefront identity makes it a fact.
  const verification = deps.verifyIdentity(contact);
  const verified = verification.verified && verification.customerGid === customer.id;
  await note(`${identityLine(verified)}\n\n${formatCustomerNote(shop, customer)}`);
  const attributes = customerAttributes(customer);
  await deps.oscar.updateContact(contact.id, { ...attributes, shopify_identity: verified ? "verified" : "unverified" });
  await claimMilestone(deps.db, shop, conversationId, "enrichedAt", now(), {
    enrichmentOutcome: "customer",
    shopifyCustomerId: String(attributes.shopify_customer_id),
  });
  deps.logger.info({ shop, conversationId, orders: customer.orders.nodes.length }, "conversation enriched");
  return "customer";
}
