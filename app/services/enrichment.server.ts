import type { PrismaClient } from "@prisma/client";
import type { Logger } from "../logger.server";
import { claimMilestone, findConversationRecord } from "../models/conversation-record.server";
import type { OscarWebhookEventOf } from "../oscar/contract";
import type { OscarClient } from "../oscar/client.server";
import { ProtectedDataDenied } from "../shopify/admin-graphql.server";
import { customerAttributes, formatCustomerNote, identityLine, NO_CUSTOMER_NOTE, NO_EMAIL_NOTE, orderInQuestionLine, withheldCustomerNote } from "./enrichment-note";
import { findShopperCustomer, type ShopperCustomerDeps } from "./shopper-customer.server";

export type EnrichmentDeps = ShopperCustomerDeps & {
  db: PrismaClient;
  oscar: OscarClient;
  logger: Logger;
  now?: () => Date;
};

/** "customer": a signed-in shopper's customer; "unverified-customer": the customer with the email a shopper typed; "withheld": Shopify withheld protected customer data. */
export type EnrichmentOutcome = "customer" | "unverified-customer" | "no-email" | "no-customer" | "withheld" | "already-enriched";

/**
 * conversation.created → one private note telling agents who the shopper is (orders, totals,
 * tracking) and, for a signed-in shopper only, the contact's attributes set from Shopify. Safe to
 * run twice: a conversation is enriched once, and a retried note is found by its idempotency marker.
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

  const shopper = await findShopperCustomer(deps, shop, contact).catch((error: unknown) => {
    if (error instanceof ProtectedDataDenied) return error;
    throw error;
  });
  if (shopper instanceof ProtectedDataDenied) {
    // Shopify withheld protected customer data: agents read why, the merchant's home page says what to request.
    await note(withheldCustomerNote(shopper.denied.map((d) => d.path)));
    await claimMilestone(deps.db, shop, conversationId, "enrichedAt", now(), { enrichmentOutcome: "withheld" });
    deps.logger.warn({ shop, conversationId, withheld: shopper.denied }, "Shopify withheld protected customer data from the customer look-up");
    return "withheld";
  }
  if (shopper.kind === "anonymous") {
    await note(NO_EMAIL_NOTE);
    await claimMilestone(deps.db, shop, conversationId, "enrichedAt", now(), { enrichmentOutcome: "no-email" });
    return "no-email";
  }
  const customer = shopper.customer;
  if (!customer) {
    await note(NO_CUSTOMER_NOTE);
    await claimMilestone(deps.db, shop, conversationId, "enrichedAt", now(), { enrichmentOutcome: "no-customer" });
    return "no-customer";
  }

  const verified = shopper.kind === "signed-in";
  // The private note shows an email match too, under the "Not verified" warning: agents are the
  // merchant's staff, who could look the email up in the admin anyway, and the orders let them ask
  // questions only the real customer can answer. Nothing else trusts it: no contact attributes (the
  // shopper and Oscar's bot can read those) and no customer id on the record (assisted revenue).
  // The order in question comes only from a signed-in identity minted for it (order-help.server.ts).
  const asksAbout = shopper.kind === "signed-in" && shopper.order ? `\n\n${orderInQuestionLine(shop, shopper.order)}` : "";
  await note(`${identityLine(verified)}${asksAbout}\n\n${formatCustomerNote(shop, customer)}`);
  if (!verified) {
    await deps.oscar.updateContact(contact.id, { shopify_identity: "unverified" });
    await claimMilestone(deps.db, shop, conversationId, "enrichedAt", now(), { enrichmentOutcome: "unverified-customer" });
    deps.logger.info({ shop, conversationId, verified }, "conversation enriched");
    return "unverified-customer";
  }
  const attributes = customerAttributes(customer);
  await deps.oscar.updateContact(contact.id, { ...attributes, shopify_identity: "verified" });
  await claimMilestone(deps.db, shop, conversationId, "enrichedAt", now(), {
    enrichmentOutcome: "customer",
    shopifyCustomerId: String(attributes.shopify_customer_id),
  });
  deps.logger.info({ shop, conversationId, verified, orders: customer.orders.nodes.length }, "conversation enriched");
  return "customer";
}
