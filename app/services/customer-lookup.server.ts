import { createHash } from "node:crypto";
import type { Redis } from "ioredis";
import { z } from "zod";
import { CUSTOMER_BY_ID_QUERY } from "../graphql/customer-by-id";
import { CUSTOMER_FOR_CONVERSATION_QUERY } from "../graphql/customer-for-conversation";
import { decryptSecret, encryptSecret, SECRET_FIELDS, type EncryptionKeyring } from "../security/encryption.server";
import { ProtectedDataDenied, runAdminQuery, runAdminQueryWithheld, type AdminGraphql } from "../shopify/admin-graphql.server";

const money = z.object({ amount: z.string(), currencyCode: z.string() });

const customerSchema = z.object({
  id: z.string(),
  displayName: z.string(),
  // Null when Shopify withholds it (protected customer data not approved).
  defaultEmailAddress: z.object({ emailAddress: z.string().nullable() }).nullish(),
  numberOfOrders: z.union([z.string(), z.number()]).transform(Number),
  amountSpent: money,
  tags: z.array(z.string()),
  createdAt: z.string(),
  orders: z.object({
    nodes: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        processedAt: z.string(),
        displayFinancialStatus: z.string().nullable(),
        displayFulfillmentStatus: z.string(),
        totalPriceSet: z.object({ shopMoney: money }),
        fulfillments: z.array(z.object({ trackingInfo: z.array(z.object({ number: z.string().nullable(), url: z.string().nullable(), company: z.string().nullable() })) })),
      }),
    ),
  }),
});

const candidateSchema = customerSchema.pick({ id: true, defaultEmailAddress: true });
const searchResponseSchema = z.object({ customers: z.object({ nodes: z.array(candidateSchema) }) });
const byIdResponseSchema = z.object({ customer: customerSchema.nullable() });

export type ShopifyCustomer = z.infer<typeof customerSchema>;

/** Shopify search syntax: the email quoted, with quotes and backslashes escaped. */
export function customerEmailQuery(email: string): string {
  return `email:"${email.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

const normalEmail = (email: string) => email.trim().toLowerCase();

/**
 * The hit whose email is the contact's, or null. Shopify's search is tokenised, so "ann@example.com"
 * also finds "jo.ann@example.com"; and a customer whose email Shopify withholds (protected customer
 * data not approved: the field is null) can never be shown to be the contact, so it never matches.
 */
export function exactEmailMatch<C extends z.infer<typeof candidateSchema>>(customers: C[], email: string): C | null {
  const wanted = normalEmail(email);
  if (!wanted) return null;
  return customers.find((c) => typeof c.defaultEmailAddress?.emailAddress === "string" && normalEmail(c.defaultEmailAddress.emailAddress) === wanted) ?? null;
}

/** The cache entry's id for one shop and email: the email itself never appears in a Redis key. */
export function customerCacheId(shop: string, email: string): string {
  return createHash("sha256").update(`${shop}\n${normalEmail(email)}`).digest("hex").slice(0, 32);
}

/** The cache entry's id for one shop and customer id; the "id-" prefix keeps it apart from every email's (pure hex). */
export function customerIdCacheId(shop: string, customerGid: string): string {
  return `id-${createHash("sha256").update(`${shop}\n${customerGid}`).digest("hex").slice(0, 32)}`;
}

export const customerCacheKey = (prefix: string, id: string) => `${prefix}customer-cache:${id}`;
export const customerLockKey = (prefix: string, id: string) => `${prefix}customer-lock:${id}`;
/** Which cache ids belong to a shop (scored by expiry), so uninstall and shop/redact can find them without the emails. */
export const customerCacheIndexKey = (prefix: string, shop: string) => `${prefix}customer-cache-index:${shop}`;

export type CustomerLookup = {
  /** The customer whose email equals this one (trimmed, any case), or null: a claim, not an identity. */
  byEmail: (shop: string, email: string, graphql: () => Promise<AdminGraphql>) => Promise<ShopifyCustomer | null>;
  /** The customer with this id (gid), for a shopper whose signed storefront identity names it. */
  byId: (shop: string, customerGid: string, graphql: () => Promise<AdminGraphql>) => Promise<ShopifyCustomer | null>;
};

/**
 * Finds customers by email or id, remembering each answer briefly in Redis (encrypted: it is a
 * customer's data) so a burst of events from one shopper costs one Admin API query, across
 * processes: the first caller takes a short lock and queries, the others wait for its answer.
 */
export function createCustomerLookup({ redis, prefix, keyring, ttlSeconds = 60, waitMs = 3_000 }: {
  redis: Redis;
  prefix: string;
  keyring: EncryptionKeyring;
  ttlSeconds?: number;
  waitMs?: number;
}): CustomerLookup {
  const cached = async (shop: string, id: string, ask: () => Promise<ShopifyCustomer | null>) => {
    const cacheKey = customerCacheKey(prefix, id);
    const lockKey = customerLockKey(prefix, id);
    const read = async () => {
      const sealed = await redis.get(cacheKey);
      return sealed === null ? undefined : (JSON.parse(decryptSecret(keyring, sealed, { shop, field: SECRET_FIELDS.customerCache })) as ShopifyCustomer | null);
    };

    const deadline = Date.now() + waitMs;
    for (;;) {
      const hit = await read();
      if (hit !== undefined) return hit;
      if (await redis.set(lockKey, "1", "PX", waitMs, "NX")) break;
      if (Date.now() > deadline) break; // the lock holder is stuck: ask Shopify ourselves
      await new Promise((r) => setTimeout(r, 25));
    }
    try {
      const customer = await ask();
      const indexKey = customerCacheIndexKey(prefix, shop);
      const expiresAt = Date.now() + ttlSeconds * 1000;
      // Expired ids are pruned on each write, so the index stays as small as the live cache.
      await redis
        .multi()
        .set(cacheKey, encryptSecret(keyring, JSON.stringify(customer), { shop, field: SECRET_FIELDS.customerCache }), "EX", ttlSeconds)
        .zadd(indexKey, expiresAt, id)
        .zremrangebyscore(indexKey, "-inf", Date.now())
        .expire(indexKey, ttlSeconds)
        .exec();
      return customer;
    } finally {
      await redis.del(lockKey);
    }
  };

  const byId: CustomerLookup["byId"] = (shop, customerGid, graphql) =>
    cached(shop, customerIdCacheId(shop, customerGid), async () => {
      // A withheld name or email leaves the rest usable (the note says what Shopify withheld); a
      // withheld customer as a whole (no approval at all) is not "no such customer".
      const { data, withheld } = await runAdminQueryWithheld(await graphql(), CUSTOMER_BY_ID_QUERY, byIdResponseSchema, { id: customerGid });
      if (data.customer === null && withheld.length > 0) throw new ProtectedDataDenied(withheld);
      return data.customer;
    });
  return {
    byEmail: (shop, email, graphql) =>
      cached(shop, customerCacheId(shop, email), async () => {
        const data = await runAdminQuery(await graphql(), CUSTOMER_FOR_CONVERSATION_QUERY, searchResponseSchema, { query: customerEmailQuery(email.trim()) });
        const match = exactEmailMatch(data.customers.nodes, email);
        return match ? byId(shop, match.id, graphql) : null;
      }),
    byId,
  };
}

/** One shopper's cache ids: by their email (if known) and by their customer id. */
export type CachedShopper = { email: string | null; customerGid: string };
const cacheIdsOf = (shop: string, { email, customerGid }: CachedShopper) => [...(email ? [customerCacheId(shop, email)] : []), customerIdCacheId(shop, customerGid)];

/** The cached look-up for one shopper, if one is live (for a customer's data export). */
export async function readCachedCustomer(redis: Redis, prefix: string, keyring: EncryptionKeyring, shop: string, shopper: CachedShopper): Promise<ShopifyCustomer | null> {
  for (const id of cacheIdsOf(shop, shopper)) {
    const sealed = await redis.get(customerCacheKey(prefix, id));
    const customer = sealed === null ? null : (JSON.parse(decryptSecret(keyring, sealed, { shop, field: SECRET_FIELDS.customerCache })) as ShopifyCustomer | null);
    if (customer) return customer;
  }
  return null;
}

/** Forgets one shopper's cached look-ups in one shop, by email and by id (customers/redact). */
export async function forgetCachedCustomer(redis: Redis, prefix: string, shop: string, shopper: CachedShopper): Promise<number> {
  const ids = cacheIdsOf(shop, shopper);
  const [deleted] = await Promise.all([
    redis.del(...ids.flatMap((id) => [customerCacheKey(prefix, id), customerLockKey(prefix, id)])),
    redis.zrem(customerCacheIndexKey(prefix, shop), ...ids),
  ]);
  return deleted;
}

/** Forgets every cached look-up of one shop (uninstall, shop/redact), found through the shop's index. */
export async function forgetCachedCustomers(redis: Redis, prefix: string, shop: string): Promise<number> {
  const indexKey = customerCacheIndexKey(prefix, shop);
  const ids = await redis.zrange(indexKey, 0, -1);
  const keys = ids.flatMap((id) => [customerCacheKey(prefix, id), customerLockKey(prefix, id)]);
  const deleted = keys.length ? await redis.del(...keys) : 0;
  await redis.del(indexKey);
  return deleted;
}
