import type { Redis } from "ioredis";
import { encryptSecret, SECRET_FIELDS, type EncryptionKeyring } from "../security/encryption.server";

/**
 * Oscar events that arrived well signed but in a shape the app does not expect (a field renamed,
 * a type changed). They are acknowledged, since redelivering the same body can never help, and
 * kept here so the merchant sees that something came in unread and support can look at it:
 * per shop, the newest UNEXPECTED_EVENTS_KEPT, for UNEXPECTED_EVENTS_TTL_SECONDS, the body
 * encrypted (it holds shoppers' messages), erased on uninstall and by shop/redact.
 */

export const UNEXPECTED_EVENTS_KEPT = 50;
export const UNEXPECTED_EVENTS_TTL_SECONDS = 7 * 24 * 60 * 60;

/** What the merchant is shown: never the body, only its type, when it came and which fields were off. */
export type UnexpectedOscarEvent = { type: string; receivedAt: number; problems: string };
type StoredEvent = UnexpectedOscarEvent & { sealedBody: string };

export type UnexpectedOscarEvents = {
  keep(shop: string, event: UnexpectedOscarEvent, rawBody: Uint8Array): Promise<void>;
  /** Newest first. */
  list(shop: string): Promise<UnexpectedOscarEvent[]>;
  count(shop: string): Promise<number>;
};

export const unexpectedEventsKey = (prefix: string, shop: string) => `${prefix}oscar-unexpected-events:${shop}`;

export function createUnexpectedOscarEvents({ redis, prefix, keyring }: { redis: Redis; prefix: string; keyring: EncryptionKeyring }): UnexpectedOscarEvents {
  return {
    async keep(shop, event, rawBody) {
      const key = unexpectedEventsKey(prefix, shop);
      const stored: StoredEvent = {
        type: event.type.slice(0, 64),
        receivedAt: event.receivedAt,
        problems: event.problems.slice(0, 300),
        sealedBody: encryptSecret(keyring, Buffer.from(rawBody).toString("utf8"), { shop, field: SECRET_FIELDS.unexpectedOscarEvent }),
      };
      // One transaction, so the list is never left uncapped or without its expiry.
      const results = await redis
        .multi()
        .lpush(key, JSON.stringify(stored))
        .ltrim(key, 0, UNEXPECTED_EVENTS_KEPT - 1)
        .expire(key, UNEXPECTED_EVENTS_TTL_SECONDS)
        .exec();
      const failed = results?.find(([error]) => error)?.[0];
      if (!results || failed) throw failed ?? new Error("Redis discarded the transaction");
    },

    async list(shop) {
      const entries = await redis.lrange(unexpectedEventsKey(prefix, shop), 0, -1);
      return entries.flatMap((entry) => {
        try {
          const { type, receivedAt, problems } = JSON.parse(entry) as StoredEvent;
          return [{ type, receivedAt, problems }];
        } catch {
          return [];
        }
      });
    },

    count: (shop) => redis.llen(unexpectedEventsKey(prefix, shop)),
  };
}

/** Erases what was kept for the shop (uninstall, shop/redact). */
export async function forgetUnexpectedOscarEvents(redis: Redis, prefix: string, shop: string): Promise<void> {
  await redis.del(unexpectedEventsKey(prefix, shop));
}
