import type { PrismaClient } from "@prisma/client";
import { Queue, type JobState } from "bullmq";
import type { Redis } from "ioredis";
import { SLACK_URL_COLUMNS } from "../models/slack-settings.server";
import { QUEUES } from "../queues/jobs";
import { encryptSecret, isSealed, needsReencryption, reencryptSecret, SECRET_FIELDS, type EncryptionKeyring, type SecretContext } from "./encryption.server";

/**
 * Key rotation: rewrites every stored secret under the newest key, in format s2 (bound to its shop
 * and field), so ENCRYPTION_KEYS can drop the old key. Covers every place a ciphertext outlives a
 * deploy: sessions' tokens (plain ones are sealed), the Oscar connection, Slack URLs, sealed events
 * in queued and failed jobs (kept 30 days) and data exports (kept 30 days).
 * Not covered, because it cannot outlive a rotation: the customer look-up cache lives 60 seconds.
 * A secret that cannot be opened (a key already removed, a row tampered with) is counted, never erased.
 */

export type ReencryptionDeps = { db: PrismaClient; redis: Redis; prefix: string; keyring: EncryptionKeyring };

/** Secrets still under an old key or format (or, for sessions, in plain text), by place. */
export type OldSecretCounts = {
  sessions: number;
  oscarConnections: number;
  slackSettings: number;
  eventJobs: number;
  dataExports: number;
  /** Secrets that no configured key opens: they stay as they are and need a person to look. */
  unreadable: number;
};

export const totalOld = (counts: OldSecretCounts) =>
  counts.sessions + counts.oscarConnections + counts.slackSettings + counts.eventJobs + counts.dataExports;

/** Every database column that holds a secret, as `Model.field`: what the places below rewrite. */
export const REENCRYPTED_COLUMNS = [
  "Session.accessToken",
  "Session.refreshToken",
  "OscarConnection.apiKeyCiphertext",
  "OscarConnection.webhookSecretCiphertext",
  ...Object.values(SLACK_URL_COLUMNS).map((column) => `SlackSettings.${column}`),
];

const PAGE = 200;
const SWAP_IF_UNCHANGED = "if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL') return 1 end return 0";
/** States whose jobs keep their data in Redis; an active job is left to its worker and counted. */
const STORED_JOB_STATES: JobState[] = ["waiting", "delayed", "prioritized", "waiting-children", "completed", "failed"];

type Field = { column: string; context: SecretContext; value: string | null };
/** One place's rows: each secret field with its context, and how to write a new value only if the old one is still there. */
type Place = {
  name: Exclude<keyof OldSecretCounts, "unreadable">;
  rows(): AsyncGenerator<Field[]>;
  write(field: Field, sealed: string): Promise<boolean>;
};

/** Old when it is plain text (sessions only; other places never held plain text) or sealed under an old key or format. */
const isOld = (keyring: EncryptionKeyring, value: string | null) => Boolean(value) && (!isSealed(value!) || needsReencryption(keyring, value!));

async function* pages<Row>(read: (skip: number) => Promise<Row[]>): AsyncGenerator<Row[]> {
  for (let skip = 0; ; skip += PAGE) {
    const rows = await read(skip);
    if (rows.length > 0) yield rows;
    if (rows.length < PAGE) return;
  }
}

function databasePlaces({ db }: ReencryptionDeps): Place[] {
  return [
    {
      name: "sessions",
      async *rows() {
        for await (const rows of pages((skip) => db.session.findMany({ orderBy: { id: "asc" }, skip, take: PAGE, select: { id: true, shop: true, accessToken: true, refreshToken: true } }))) {
          for (const row of rows) {
            yield [
              { column: `accessToken:${row.id}`, context: { shop: row.shop, field: SECRET_FIELDS.sessionAccessToken }, value: row.accessToken },
              { column: `refreshToken:${row.id}`, context: { shop: row.shop, field: SECRET_FIELDS.sessionRefreshToken }, value: row.refreshToken },
            ];
          }
        }
      },
      async write(field, sealed) {
        const [column, id] = [field.column.slice(0, field.column.indexOf(":")), field.column.slice(field.column.indexOf(":") + 1)];
        // Compare-and-set: a token refreshed meanwhile is already sealed under the current key.
        const { count } = await db.session.updateMany({ where: { id, shop: field.context.shop, [column]: field.value }, data: { [column]: sealed } });
        return count === 1;
      },
    },
    {
      name: "oscarConnections",
      async *rows() {
        for await (const rows of pages((skip) => db.oscarConnection.findMany({ orderBy: { shop: "asc" }, skip, take: PAGE, select: { shop: true, apiKeyCiphertext: true, webhookSecretCiphertext: true } }))) {
          for (const row of rows) {
            yield [
              { column: "apiKeyCiphertext", context: { shop: row.shop, field: SECRET_FIELDS.oscarApiKey }, value: row.apiKeyCiphertext },
              { column: "webhookSecretCiphertext", context: { shop: row.shop, field: SECRET_FIELDS.oscarWebhookSecret }, value: row.webhookSecretCiphertext },
            ];
          }
        }
      },
      async write(field, sealed) {
        const { count } = await db.oscarConnection.updateMany({ where: { shop: field.context.shop, [field.column]: field.value }, data: { [field.column]: sealed } });
        return count === 1;
      },
    },
    {
      name: "slackSettings",
      async *rows() {
        for await (const rows of pages((skip) => db.slackSettings.findMany({ orderBy: { shop: "asc" }, skip, take: PAGE }))) {
          for (const row of rows) {
            yield Object.values(SLACK_URL_COLUMNS).map((column) => ({ column, context: { shop: row.shop, field: SECRET_FIELDS.slackUrl(column) }, value: row[column] }));
          }
        }
      },
      async write(field, sealed) {
        const { count } = await db.slackSettings.updateMany({ where: { shop: field.context.shop, [field.column]: field.value }, data: { [field.column]: sealed } });
        return count === 1;
      },
    },
  ];
}

function redisPlaces({ redis, prefix }: ReencryptionDeps): Place[] {
  const events = new Queue(QUEUES.oscarEvents, { connection: redis, prefix: prefix.replace(/:$/, "") });
  events.on("error", () => {});
  const exportPattern = `${prefix.replace(/[*?[\]\\]/g, (c) => `\\${c}`)}data-export:*`;
  return [
    {
      name: "eventJobs",
      async *rows() {
        try {
          for (const state of STORED_JOB_STATES) {
            for await (const jobs of pages((skip) => events.getJobs([state], skip, skip + PAGE - 1, true))) {
              for (const job of jobs) {
                const data = job.data as { shop?: unknown; sealedEvent?: unknown };
                if (job.name !== "oscar.event" || typeof data.shop !== "string" || typeof data.sealedEvent !== "string") continue;
                yield [{ column: job.id!, context: { shop: data.shop, field: SECRET_FIELDS.oscarEvent }, value: data.sealedEvent }];
              }
            }
          }
          // Running jobs are not rewritten (their worker may write its copy back): they are counted, and a later run gets them.
          for (const job of await events.getJobs(["active"])) {
            const data = job.data as { shop?: unknown; sealedEvent?: unknown };
            if (typeof data.shop === "string" && typeof data.sealedEvent === "string") {
              yield [{ column: "", context: { shop: data.shop, field: SECRET_FIELDS.oscarEvent }, value: data.sealedEvent }];
            }
          }
        } finally {
          await events.close();
        }
      },
      async write(field, sealed) {
        if (!field.column) return false;
        const job = await events.getJob(field.column);
        const data = job?.data as Record<string, unknown> | undefined;
        if (!job || data?.sealedEvent !== field.value || (await job.getState()) === "active") return false;
        await job.updateData({ ...data, sealedEvent: sealed });
        return true;
      },
    },
    {
      name: "dataExports",
      async *rows() {
        let cursor = "0";
        do {
          const [next, keys] = await redis.scan(cursor, "MATCH", exportPattern, "COUNT", 500);
          cursor = next;
          for (const key of keys) {
            // `<prefix>data-export:<shop>:<data request id>`; a shop domain holds no ':'.
            const shop = key.slice(prefix.length + "data-export:".length).split(":")[0];
            // Only exports themselves (strings holding a ciphertext), not an index kept beside them.
            const value = (await redis.type(key)) === "string" ? await redis.get(key) : null;
            if (value && isSealed(value)) yield [{ column: key, context: { shop, field: SECRET_FIELDS.dataExport }, value }];
          }
        } while (cursor !== "0");
      },
      async write(field, sealed) {
        // Only if the export is still there and unchanged; its expiry stays as it was.
        return (await redis.eval(SWAP_IF_UNCHANGED, 1, field.column, field.value!, sealed)) === 1;
      },
    },
  ];
}

/** Goes through every place; with `rewrite`, seals old secrets again under the current key. */
async function visit(deps: ReencryptionDeps, rewrite: boolean): Promise<{ old: OldSecretCounts; rewritten: number }> {
  const old: OldSecretCounts = { sessions: 0, oscarConnections: 0, slackSettings: 0, eventJobs: 0, dataExports: 0, unreadable: 0 };
  let rewritten = 0;
  for (const place of [...databasePlaces(deps), ...redisPlaces(deps)]) {
    for await (const fields of place.rows()) {
      for (const field of fields) {
        if (!isOld(deps.keyring, field.value)) continue;
        let sealed: string;
        try {
          sealed = sealAgain(deps.keyring, field.value!, field.context);
        } catch {
          old.unreadable++;
          continue;
        }
        if (rewrite && (await place.write(field, sealed))) rewritten++;
        else old[place.name]++;
      }
    }
  }
  return { old, rewritten };
}

function sealAgain(keyring: EncryptionKeyring, value: string, context: SecretContext): string {
  if (isSealed(value)) return reencryptSecret(keyring, value, context);
  // Only session tokens were ever stored in plain text; anything else that is not a ciphertext is a tampered row.
  if (context.field !== SECRET_FIELDS.sessionAccessToken && context.field !== SECRET_FIELDS.sessionRefreshToken) throw new Error("not a ciphertext");
  return encryptSecret(keyring, value, context);
}

/** How many secrets still need the re-encryption job (what start-up logs and `npm run keys:reencrypt -- --count` prints). */
export async function countOldSecrets(deps: ReencryptionDeps): Promise<OldSecretCounts> {
  return (await visit(deps, false)).old;
}

/** Re-encrypts every old secret; returns how many were rewritten and what is still old (changed meanwhile, running, unreadable). */
export async function reencryptAllSecrets(deps: ReencryptionDeps): Promise<{ rewritten: number; remaining: OldSecretCounts }> {
  const { rewritten } = await visit(deps, true);
  return { rewritten, remaining: await countOldSecrets(deps) };
}
