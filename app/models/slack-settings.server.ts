import type { PrismaClient } from "@prisma/client";
import { decryptSecret, encryptSecret, SECRET_FIELDS, type EncryptionKeyring } from "../security/encryption.server";

export const SLACK_ALERT_KINDS = ["urgent", "vip", "botEscalation", "report"] as const;
export type SlackAlertKind = (typeof SLACK_ALERT_KINDS)[number];

const COLUMN = {
  urgent: "urgentUrlCiphertext",
  vip: "vipUrlCiphertext",
  botEscalation: "botEscalationUrlCiphertext",
  report: "reportUrlCiphertext",
} as const;

/** Each URL is sealed for its shop and column: a URL copied to another alert kind or shop does not open. */
export const slackUrlContext = (shop: string, kind: SlackAlertKind) => ({ shop, field: SECRET_FIELDS.slackUrl(COLUMN[kind]) });

/** The column that holds each kind's sealed URL (for the re-encryption job). */
export const SLACK_URL_COLUMNS = COLUMN;

/** The Slack URL for one kind of alert, decrypted, or null when the merchant set none. */
export async function slackUrlFor(db: PrismaClient, keyring: EncryptionKeyring, shop: string, kind: SlackAlertKind): Promise<string | null> {
  const row = await db.slackSettings.findUnique({ where: { shop } });
  const sealed = row?.[COLUMN[kind]];
  return sealed ? decryptSecret(keyring, sealed, slackUrlContext(shop, kind)) : null;
}

export async function saveSlackUrl(db: PrismaClient, keyring: EncryptionKeyring, shop: string, kind: SlackAlertKind, url: string | null): Promise<void> {
  const data = { [COLUMN[kind]]: url ? encryptSecret(keyring, url, slackUrlContext(shop, kind)) : null };
  await db.slackSettings.upsert({ where: { shop }, create: { shop, ...data }, update: data });
}

/** Which alert kinds have a URL, without decrypting any of them (for pages that must never show one). */
export async function slackAlertsConfigured(db: PrismaClient, shop: string): Promise<Record<SlackAlertKind, boolean>> {
  const row = await db.slackSettings.findUnique({ where: { shop } });
  return Object.fromEntries(SLACK_ALERT_KINDS.map((kind) => [kind, Boolean(row?.[COLUMN[kind]])])) as Record<SlackAlertKind, boolean>;
}

/** Sets (a URL) or clears (null) several kinds at once; kinds left out keep their URL. */
export async function saveSlackUrls(db: PrismaClient, keyring: EncryptionKeyring, shop: string, changes: Partial<Record<SlackAlertKind, string | null>>): Promise<void> {
  const data = Object.fromEntries(
    Object.entries(changes).map(([kind, url]) => [COLUMN[kind as SlackAlertKind], url ? encryptSecret(keyring, url, slackUrlContext(shop, kind as SlackAlertKind)) : null]),
  );
  if (Object.keys(data).length === 0) return;
  await db.slackSettings.upsert({ where: { shop }, create: { shop, ...data }, update: data });
}
