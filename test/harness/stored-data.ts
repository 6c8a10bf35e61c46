import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { Prisma, type PrismaClient } from "@prisma/client";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { databaseProvider, sqliteFilePath } from "../../app/db/adapter.server";
import { QUEUES } from "../../app/queues/jobs";
import { decryptSecret, SECRET_FIELDS, type EncryptionKeyring } from "../../app/security/encryption.server";
import type { AppStack } from "./app-stack";
import { waitFor } from "./wait";

/** Everything the app keeps, read the way someone holding the disk or the Redis server would. */

/** ttlMs: -1 when the key never expires. */
export type RedisEntry = { key: string; type: string; values: string[]; ttlMs: number };

/** Every key under the stack's prefix with every value it holds, whatever the type. */
export async function dumpRedis(stack: AppStack): Promise<RedisEntry[]> {
  const redis = new Redis(stack.env.REDIS_URL);
  try {
    const entries: RedisEntry[] = [];
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${stack.env.REDIS_PREFIX}:*`, "COUNT", 1000);
      cursor = next;
      for (const key of keys) {
        const type = await redis.type(key);
        const values =
          type === "string" ? [(await redis.get(key)) ?? ""]
          : type === "hash" ? Object.entries(await redis.hgetall(key)).flat()
          : type === "list" ? await redis.lrange(key, 0, -1)
          : type === "set" ? await redis.smembers(key)
          : type === "zset" ? await redis.zrange(key, 0, -1, "WITHSCORES")
          : type === "stream" ? (await redis.xrange(key, "-", "+")).flatMap(([id, fields]) => [id, ...fields])
          : [];
        if (type !== "none") entries.push({ key, type, values, ttlMs: await redis.pttl(key) });
      }
    } while (cursor !== "0");
    return entries.sort((a, b) => a.key.localeCompare(b.key));
  } finally {
    redis.disconnect();
  }
}

/** Where each needle appears in plain text: key names and values. */
export function plainTextHits(entries: RedisEntry[], needles: string[]): string[] {
  const hits: string[] = [];
  for (const { key, values } of entries) {
    for (const needle of needles) {
      if (key.includes(needle)) hits.push(`${needle} in the name of ${key}`);
      if (values.some((v) => v.includes(needle))) hits.push(`${needle} in ${key}`);
    }
  }
  return hits;
}

const SEALED = /(?:s2\.\d+|v\d+)\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]*/g;

/** The fields whose ciphertexts the app keeps in Redis (sealed events in job data, cached look-ups, exports, kept unreadable events). */
const REDIS_FIELDS = [SECRET_FIELDS.oscarEvent, SECRET_FIELDS.customerCache, SECRET_FIELDS.dataExport, SECRET_FIELDS.unexpectedOscarEvent];

/** Opens a ciphertext sealed for one of the shops and fields; throws when none fits (so nothing is silently skipped). */
function openForAny(keyring: EncryptionKeyring, sealed: string, shops: string[], fields: string[]): { shop: string; plaintext: string } {
  for (const shop of shops) {
    for (const field of fields) {
      try {
        return { shop, plaintext: decryptSecret(keyring, sealed, { shop, field }) };
      } catch {
        // another shop or field: try the next
      }
    }
  }
  throw new Error(`A ciphertext in Redis opens for none of ${shops.join(", ")}.`);
}

/**
 * Every encrypted value found in Redis (alone or inside job data), opened: what the app can still read,
 * with the shop it was sealed for. `shops`: every shop the test used, since each ciphertext opens only for its own shop.
 */
export function openSealedValues(entries: RedisEntry[], keyring: EncryptionKeyring, shops: string[]): { key: string; shop: string; plaintext: string }[] {
  const opened: { key: string; shop: string; plaintext: string }[] = [];
  for (const { key, values } of entries) {
    for (const value of values) {
      for (const sealed of value.match(SEALED) ?? []) opened.push({ key, ...openForAny(keyring, sealed, shops, REDIS_FIELDS) });
    }
  }
  return opened;
}

/**
 * What someone holding the database's storage would read: the raw bytes of a SQLite file and any
 * journal beside it; for PostgreSQL, a full dump of the database (what its backups hold).
 */
export function databaseBytes(stack: AppStack): Buffer {
  const url = stack.env.DATABASE_URL;
  if (databaseProvider(url) === "postgresql") return execFileSync("pg_dump", ["--no-owner", url], { maxBuffer: 256 * 1024 * 1024 });
  const file = sqliteFilePath(url);
  return Buffer.concat([file, `${file}-wal`, `${file}-journal`].filter(existsSync).map((f) => readFileSync(f)));
}

/** Every row of every table, as JSON, one entry per table. */
export async function dumpTables(db: PrismaClient): Promise<Record<string, string>> {
  const tables: Record<string, string> = {};
  for (const model of Prisma.dmmf.datamodel.models) {
    const delegate = (db as unknown as Record<string, { findMany(): Promise<unknown[]> }>)[model.name.charAt(0).toLowerCase() + model.name.slice(1)];
    tables[model.name] = JSON.stringify(await delegate.findMany(), (_key, value) => (typeof value === "bigint" ? String(value) : value));
  }
  return tables;
}

/** A customer of one shop, by everything that identifies them. */
export type CustomerIdentifiers = {
  shop: string;
  /** Only this customer of this shop has them (numeric id, GID, conversation and order ids): looked for everywhere. */
  unique: string[];
  /**
   * A customer of another shop may have them too (the same email, name or phone, order names that
   * every shop numbers from #1001): looked for in what belongs to `shop`, and in Redis's plain text.
   */
  shared: string[];
};

/**
 * Where the customer is still stored, one line per find: every row of every table (the shop's rows
 * for shared identifiers), the raw bytes of the database, every Redis key name and value under the
 * stack's prefix in plain text (BullMQ job hashes, lists, sets, sorted sets, streams included), and
 * every ciphertext in Redis opened. Empty means erased; a customer who was not erased must be found
 * by the same scan (so a scan that looks nowhere cannot pass).
 */
export async function customerTraces(stack: AppStack, keyring: EncryptionKeyring, shops: string[], customer: CustomerIdentifiers): Promise<string[]> {
  const all = [...customer.unique, ...customer.shared];
  const found: string[] = [];
  for (const [table, json] of Object.entries(await dumpTables(stack.db))) {
    for (const row of JSON.parse(json) as Record<string, unknown>[]) {
      const text = JSON.stringify(row);
      const ownShop = row.shop === customer.shop || row.domain === customer.shop;
      for (const id of ownShop ? all : customer.unique) if (text.includes(id)) found.push(`${id} in a row of ${table}`);
    }
  }
  const bytes = databaseBytes(stack);
  for (const id of customer.unique) if (bytes.includes(id)) found.push(`${id} in the database's bytes`);
  const redis = await dumpRedis(stack);
  found.push(...plainTextHits(redis, all).map((hit) => `${hit} (Redis, plain text)`));
  for (const { key, shop, plaintext } of openSealedValues(redis, keyring, shops)) {
    for (const id of shop === customer.shop ? all : customer.unique) if (plaintext.includes(id)) found.push(`${id} sealed in ${key}`);
  }
  return found;
}

/** Opens each queue of the app under the stack's prefix (the tests' window onto BullMQ). */
export function openQueues(stack: AppStack): { queues: Queue[]; close(): Promise<void> } {
  const queues = Object.values(QUEUES).map((name) => new Queue(name, { connection: { url: stack.env.REDIS_URL }, prefix: stack.env.REDIS_PREFIX }));
  return { queues, close: async () => void (await Promise.all(queues.map((q) => q.close()))) };
}

/**
 * Jobs still to run in the queues under these key prefixes (`<prefix>:<queue>:`), read in one Lua
 * script: Redis runs it whole, and BullMQ moves a job between states in scripts of its own, so a
 * job is never seen between two lists (a retry leaving the delayed set for the waiting list, say),
 * where two separate reads could miss it. A delayed job a job scheduler keeps for its next run (the
 * nightly purge, a weekly report: its hash names the scheduler, field `rjk`) is a future
 * appointment, not pending work, and does not count.
 */
const PENDING_JOBS = `
local pending = 0
for _, queue in ipairs(ARGV) do
  pending = pending + redis.call('LLEN', queue .. 'wait') + redis.call('LLEN', queue .. 'paused')
    + redis.call('LLEN', queue .. 'active') + redis.call('ZCARD', queue .. 'prioritized')
  for _, id in ipairs(redis.call('ZRANGE', queue .. 'delayed', 0, -1)) do
    if not redis.call('HGET', queue .. id, 'rjk') then pending = pending + 1 end
  end
end
return pending
`;

/** Waits until no job is waiting, delayed or running in any queue (one atomic look: PENDING_JOBS). */
export async function waitForQueuesIdle(stack: AppStack): Promise<void> {
  const redis = new Redis(stack.env.REDIS_URL!);
  const queuePrefixes = Object.values(QUEUES).map((name) => `${stack.env.REDIS_PREFIX}:${name}:`);
  try {
    await waitFor("the queues to be idle", async () => (await redis.eval(PENDING_JOBS, 0, ...queuePrefixes)) === 0);
  } finally {
    redis.disconnect();
  }
}
