import type { ConversationRecord, Prisma, PrismaClient } from "@prisma/client";
import type { Redis } from "ioredis";
import { z } from "zod";
import type { Logger } from "../logger.server";
import { JOBS } from "../queues/jobs";
import { customerOrders, deleteCustomerOrders } from "../models/shop-order.server";
import { eraseOrderActionsOfConversations, eraseOrderActionsOfCustomer, orderActionsOfCustomerOrConversations, type OrderAction } from "../models/order-commands.server";
import { ALL_STATES, belongsToShop, namedForShop, type JobRemoval, type StoredJob } from "../queues/job-removal.server";
import { decryptSecret, SECRET_FIELDS, type EncryptionKeyring } from "../security/encryption.server";
import { DeliveryNotFinishedError } from "../webhooks/shopify-deliveries.server";
import { forgetCachedCustomer, forgetCachedCustomers, readCachedCustomer } from "./customer-lookup.server";
import { forgetUnexpectedOscarEvents } from "./unexpected-oscar-events.server";
import { DATA_EXPORT_TTL_SECONDS, type CustomerDataExport, type DataExportStore, type OrderActionExport } from "./data-exports.server";
import { failedJobIndexKey } from "./failed-jobs.server";
import { FLOW_TRIGGER_HANDLES, type FlowTriggerKind } from "./flow-triggers.server";

/**
 * Shopify's mandatory privacy webhooks: what the app holds about one customer (export, erase) and
 * erasing everything it holds about a shop. The README's data inventory lists every place below.
 */

export type ComplianceDeps = {
  db: PrismaClient;
  redis: Redis;
  /** Prefix of the app's own Redis keys, e.g. "oscar:". */
  prefix: string;
  keyring: EncryptionKeyring;
  jobs: JobRemoval;
  exports: DataExportStore;
  /** Removes the shop's webhook at Oscar (when its key still works) and erases the key. */
  disconnectOscar: (shop: string) => Promise<unknown>;
  logger: Logger;
  now?: () => Date;
};

const numericId = z.union([z.number().int(), z.string().regex(/^\d+$/)]).transform(String);
const shopDomain = z.string().regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/);
const shopifyCustomer = z.object({ id: numericId, email: z.string().nullish(), phone: z.string().nullish() });

export const customerDataRequestPayload = z.object({ shop_domain: shopDomain, customer: shopifyCustomer, data_request: z.object({ id: numericId }) });
export const customerRedactPayload = z.object({ shop_domain: shopDomain, customer: shopifyCustomer, orders_to_redact: z.array(numericId).default([]) });
export const shopRedactPayload = z.object({ shop_domain: shopDomain });

export type ShopifyCustomerRef = z.infer<typeof shopifyCustomer>;

/** Contact attributes the app sets in Oscar: enrichment (enrichment-note.ts) and bot escalations (routing.server.ts). */
export const ENRICHMENT_CONTACT_ATTRIBUTES = ["shopify_customer_id", "shopify_orders_count", "shopify_total_spent", "shopify_currency", "shopify_tags", "shopify_last_order_at"];
export const ESCALATION_CONTACT_ATTRIBUTES = ["escalated", "escalation_reason", "escalated_at"];

/**
 * How each table's rows for one shop are deleted. Keyed by every model, so adding a table to the
 * schema does not compile until it says how shop/redact erases it.
 */
const SHOP_TABLES = {
  Session: (db, shop) => db.session.deleteMany({ where: { shop } }),
  Shop: (db, shop) => db.shop.deleteMany({ where: { domain: shop } }),
  OscarConnection: (db, shop) => db.oscarConnection.deleteMany({ where: { shop } }),
  EscalationRules: (db, shop) => db.escalationRules.deleteMany({ where: { shop } }),
  SlackSettings: (db, shop) => db.slackSettings.deleteMany({ where: { shop } }),
  ConversationRecord: (db, shop) => db.conversationRecord.deleteMany({ where: { shop } }),
  OrderStatusSettings: (db, shop) => db.orderStatusSettings.deleteMany({ where: { shop } }),
  ThemeEmbedCheck: (db, shop) => db.themeEmbedCheck.deleteMany({ where: { shop } }),
  ShopOrder: (db, shop) => db.shopOrder.deleteMany({ where: { shop } }),
  AnalyticsSettings: (db, shop) => db.analyticsSettings.deleteMany({ where: { shop } }),
  OrderStatusAnswer: (db, shop) => db.orderStatusAnswer.deleteMany({ where: { shop } }),
  WeeklyReportDelivery: (db, shop) => db.weeklyReportDelivery.deleteMany({ where: { shop } }),
  KnowledgeSettings: (db, shop) => db.knowledgeSettings.deleteMany({ where: { shop } }),
  KnowledgeSyncState: (db, shop) => db.knowledgeSyncState.deleteMany({ where: { shop } }),
  KnowledgeItem: (db, shop) => db.knowledgeItem.deleteMany({ where: { shop } }),
  KnowledgeSource: (db, shop) => db.knowledgeSource.deleteMany({ where: { shop } }),
  KnowledgeChange: (db, shop) => db.knowledgeChange.deleteMany({ where: { shop } }),
  OrderCommandSettings: (db, shop) => db.orderCommandSettings.deleteMany({ where: { shop } }),
  OrderAction: (db, shop) => db.orderAction.deleteMany({ where: { shop } }),
  FlowTriggerFiring: (db, shop) => db.flowTriggerFiring.deleteMany({ where: { shop } }),
  FlowTriggerUsage: (db, shop) => db.flowTriggerUsage.deleteMany({ where: { shop } }),
  FlowActionRun: (db, shop) => db.flowActionRun.deleteMany({ where: { shop } }),
} satisfies Record<Prisma.ModelName, (db: PrismaClient, shop: string) => Prisma.PrismaPromise<Prisma.BatchPayload>>;

const normalEmail = (email: string | null | undefined) => email?.trim().toLowerCase() || null;

/** Order commands name the customer by GID, as the Admin API does (conversation records keep the number). */
const customerGid = (customer: ShopifyCustomerRef) => `gid://shopify/Customer/${customer.id}`;

type OpenedEvent = { job: StoredJob; type: string; receivedAt: number; conversationId: string | null; email: string | null; event: unknown };

/** Opens a queued Oscar event; one that cannot be read (a retired key) can be read by no one and is skipped. */
function openEvent(keyring: EncryptionKeyring, job: StoredJob): OpenedEvent | null {
  const payload = JOBS["oscar.event"].payload.safeParse(job.data);
  if (job.name !== "oscar.event" || !payload.success) return null;
  try {
    const event = JSON.parse(decryptSecret(keyring, payload.data.sealedEvent, { shop: payload.data.shop, field: SECRET_FIELDS.oscarEvent })) as { data?: { conversation_id?: unknown; contact?: { email?: unknown } } };
    const conversationId = event.data?.conversation_id;
    const email = event.data?.contact?.email;
    return {
      job,
      type: payload.data.type,
      receivedAt: payload.data.receivedAt,
      conversationId: conversationId === undefined || conversationId === null ? null : String(conversationId),
      email: typeof email === "string" ? normalEmail(email) : null,
      event,
    };
  } catch {
    return null;
  }
}

/**
 * Everything the app holds about one customer of one shop: conversation records linked to their
 * Shopify id, queued Oscar events whose contact has their email, and every record and event of
 * the conversations found that way (an assignment event carries no email but is theirs).
 */
async function findCustomerData(deps: ComplianceDeps, shop: string, customer: ShopifyCustomerRef) {
  const email = normalEmail(customer.email);
  const shopJobs = await deps.jobs.findJobs(ALL_STATES, belongsToShop(shop));
  const events = shopJobs
    .map((job) => openEvent(deps.keyring, job))
    .filter((opened): opened is OpenedEvent => opened !== null);
  const conversationsByEmail = events.filter((e) => email && e.email === email && e.conversationId).map((e) => e.conversationId!);
  const records = await deps.db.conversationRecord.findMany({
    where: { shop, OR: [{ shopifyCustomerId: customer.id }, { conversationId: { in: conversationsByEmail } }] },
    orderBy: { createdAt: "asc" },
  });
  const conversations = new Set([...conversationsByEmail, ...records.map((r) => r.conversationId)]);
  const customerEvents = events.filter((e) => (email && e.email === email) || (e.conversationId && conversations.has(e.conversationId)));
  // Shopify Flow action runs queued for one of those conversations: their sealed text may be about the customer.
  const flowActionJobs = shopJobs.filter((job) => {
    const payload = JOBS["flow.action"].payload.safeParse(job.data);
    return job.name === "flow.action" && payload.success && conversations.has(payload.data.conversationId);
  });
  return { email, records, conversations: [...conversations], events: customerEvents, flowActionJobs };
}

const iso = (date: Date | null) => date?.toISOString() ?? null;

const noteDescription = (record: ConversationRecord) =>
  record.enrichmentOutcome === "customer"
    ? "Private note: the customer's Shopify profile link, order count, total spent, tags and recent orders with tracking."
    : record.enrichmentOutcome === "unverified-customer"
    ? "Private note, marked not verified: the Shopify customer with the email the shopper typed, their profile link, order count, total spent, tags and recent orders with tracking."
    : "Private note: no Shopify customer matched the contact's email.";

/** The stored plan is JSON the app wrote; one it cannot read is exported as the text it is. */
function planOf(plan: string | null): unknown {
  if (plan === null) return null;
  try {
    return JSON.parse(plan);
  } catch {
    return plan;
  }
}

const orderActionExport = (a: OrderAction): OrderActionExport => ({
  conversationId: a.conversationId,
  agentId: a.agentId,
  command: a.command,
  orderId: a.orderId,
  orderName: a.orderName,
  plan: planOf(a.plan),
  status: a.status,
  outcome: a.outcome,
  createdAt: a.createdAt.toISOString(),
  confirmedAt: iso(a.confirmedAt),
  confirmedBy: a.confirmedBy,
  completedAt: iso(a.completedAt),
});

/** What Shopify Flow saw of these conversations: the triggers sent (by handle) and the action runs taken. */
async function shopifyFlowOf(db: PrismaClient, shop: string, conversations: string[]): Promise<CustomerDataExport["shopifyFlow"]> {
  const [firings, runs] = await Promise.all([
    db.flowTriggerFiring.findMany({ where: { shop, conversationId: { in: conversations }, sentAt: { not: null } }, orderBy: { sentAt: "asc" } }),
    db.flowActionRun.findMany({ where: { shop, conversationId: { in: conversations } }, orderBy: { receivedAt: "asc" } }),
  ]);
  return {
    triggersSent: firings.map((f) => ({ conversationId: f.conversationId, trigger: FLOW_TRIGGER_HANDLES[f.kind as FlowTriggerKind] ?? f.kind, sentAt: f.sentAt?.toISOString() ?? "" })),
    actionRuns: runs.map((r) => ({ conversationId: r.conversationId, action: r.action, outcome: r.outcome, receivedAt: r.receivedAt.toISOString() })),
  };
}

/** customers/data_request: gathers the customer's data into an export the merchant downloads. */
export async function exportCustomerData(
  deps: ComplianceDeps,
  { shop, customer, dataRequestId }: { shop: string; customer: ShopifyCustomerRef; dataRequestId: string },
): Promise<{ conversations: number; queuedEvents: number }> {
  const now = (deps.now ?? (() => new Date()))();
  const held = await findCustomerData(deps, shop, customer);
  const data: CustomerDataExport = {
    topic: "customers/data_request",
    shop,
    dataRequestId,
    preparedAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + DATA_EXPORT_TTL_SECONDS * 1000).toISOString(),
    customer: { shopifyCustomerId: customer.id, email: customer.email ?? null },
    conversations: held.records.map((r) => ({
      conversationId: r.conversationId,
      createdAt: r.createdAt.toISOString(),
      enrichedAt: iso(r.enrichedAt),
      enrichmentOutcome: r.enrichmentOutcome,
      urgentAt: iso(r.urgentAt),
      vipAt: iso(r.vipAt),
      botEscalatedAt: iso(r.botEscalatedAt),
      assignedAt: iso(r.assignedAt),
      assigneeId: r.assigneeId,
      resolvedAt: iso(r.resolvedAt),
    })),
    orders: (await customerOrders(deps.db, shop, customer.id)).map((o) => ({
      orderId: o.orderId,
      totalPrice: o.totalPrice,
      currencyCode: o.currencyCode,
      placedAt: o.placedAt.toISOString(),
    })),
    orderActions: (await orderActionsOfCustomerOrConversations(deps.db, shop, customerGid(customer), held.conversations)).map(orderActionExport),
    oscarNotes: held.records.filter((r) => r.enrichedAt).map((r) => ({ conversationId: r.conversationId, description: noteDescription(r) })),
    oscarContactAttributes: [
      ...(held.records.some((r) => r.enrichmentOutcome === "customer") ? ENRICHMENT_CONTACT_ATTRIBUTES : []),
      ...(held.records.some((r) => r.botEscalatedAt) ? ESCALATION_CONTACT_ATTRIBUTES : []),
    ],
    queuedEvents: held.events.map((e) => ({ state: e.job.state, type: e.type, receivedAt: new Date(e.receivedAt).toISOString(), event: e.event })),
    shopifyFlow: await shopifyFlowOf(deps.db, shop, held.conversations),
    cachedShopifyCustomer: await readCachedCustomer(deps.redis, deps.prefix, deps.keyring, shop, { email: held.email, customerGid: customerGid(customer) }),
  };
  await deps.exports.save(data);
  // Counts only: what the export holds stays out of the logs.
  deps.logger.info({ shop, dataRequestId, conversations: data.conversations.length, orderActions: data.orderActions?.length, queuedEvents: data.queuedEvents.length }, "customer data export prepared");
  return { conversations: data.conversations.length, queuedEvents: data.queuedEvents.length };
}

/** customers/redact: erases the customer's records, queued events, cached look-up and earlier exports. */
export async function redactCustomer(
  deps: ComplianceDeps,
  { shop, customer, orderIds = [] }: { shop: string; customer: ShopifyCustomerRef; orderIds?: string[] },
): Promise<{ conversations: number; jobs: number; orders: number }> {
  const held = await findCustomerData(deps, shop, customer);
  const jobs = [...held.events.map((e) => e.job), ...held.flowActionJobs];
  const { removed, running } = await deps.jobs.removeJobs(jobs);
  await forgetJobEvents(deps, new Set(jobs.map((job) => job.id)));
  const rows = await deps.db.conversationRecord.deleteMany({
    where: { shop, OR: [{ shopifyCustomerId: customer.id }, { conversationId: { in: held.conversations } }] },
  });
  // Order commands naming the customer, those in their conversations (unverified at the time), and
  // those on an order Shopify names (placed as a guest).
  const actions =
    (await eraseOrderActionsOfCustomer(deps.db, shop, customerGid(customer))) +
    (await eraseOrderActionsOfConversations(deps.db, shop, held.conversations)) +
    (await deps.db.orderAction.deleteMany({ where: { shop, orderId: { in: orderIds.map((id) => `gid://shopify/Order/${id}`) } } })).count;
  // Shopify Flow's bookkeeping for those conversations (which triggers went out, which action runs came in).
  await deps.db.flowTriggerFiring.deleteMany({ where: { shop, conversationId: { in: held.conversations } } });
  await deps.db.flowActionRun.deleteMany({ where: { shop, conversationId: { in: held.conversations } } });
  // The customer's orders kept for assisted revenue, and any order Shopify names (placed as a guest).
  const orders = await deleteCustomerOrders(deps.db, shop, customer.id, orderIds);
  await forgetCachedCustomer(deps.redis, deps.prefix, shop, { email: held.email, customerGid: customerGid(customer) });
  await deps.exports.remove(shop, (data) => data.customer.shopifyCustomerId === customer.id || (held.email !== null && normalEmail(data.customer.email) === held.email));
  deps.logger.info({ shop, conversations: rows.count, orders: orders.count, orderActions: actions, jobs: removed, running: running.length }, "customer redacted");
  if (running.length) throw new DeliveryNotFinishedError(`${running.length} of the customer's jobs are running; they are removed on the next delivery.`);
  return { conversations: rows.count, jobs: removed, orders: orders.count };
}

/** shop/redact (48 hours after uninstall): erases everything the app holds for the shop. */
export async function redactShop(deps: ComplianceDeps, shop: string): Promise<{ rows: number; jobs: number }> {
  // Uninstall removes the Oscar webhook; if it could not then, this is the last chance.
  await deps.disconnectOscar(shop);
  // Schedulers first: BullMQ refuses to remove a scheduler's next job while the scheduler exists.
  await deps.jobs.removeSchedulers(namedForShop(shop));
  const jobs = await deps.jobs.findJobs(ALL_STATES, belongsToShop(shop));
  const { removed, running } = await deps.jobs.removeJobs(jobs);
  // Event streams name job ids, and a job id may contain the shop's domain (shop-details-<shop>).
  await forgetJobEvents(deps, new Set(jobs.map((j) => j.id)), shop);

  const deleted = await deps.db.$transaction(Object.values(SHOP_TABLES).map((erase) => erase(deps.db, shop)));
  // Keys named for the shop: its round-robin turn, its last Admin API cost budget, its failed-jobs index.
  await deps.redis.del(`${deps.prefix}round-robin:${shop}`, `${deps.prefix}admin-budget:${shop}`, failedJobIndexKey(deps.prefix, shop));
  await forgetCachedCustomers(deps.redis, deps.prefix, shop);
  await forgetUnexpectedOscarEvents(deps.redis, deps.prefix, shop);
  await deps.exports.remove(shop);

  const rows = deleted.reduce((sum, d) => sum + d.count, 0);
  deps.logger.info({ shop, rows, jobs: removed, running: running.length }, "shop redacted");
  if (running.length) throw new DeliveryNotFinishedError(`${running.length} of the shop's jobs are running; they are removed on the next delivery.`);
  return { rows, jobs: removed };
}

function forgetJobEvents(deps: ComplianceDeps, jobIds: Set<string>, shop?: string) {
  if (jobIds.size === 0 && !shop) return Promise.resolve(0);
  return deps.jobs.forgetEvents((fields) => jobIds.has(fields.jobId) || (shop !== undefined && Object.values(fields).some((v) => v.includes(shop))));
}
