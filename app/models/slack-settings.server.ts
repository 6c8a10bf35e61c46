import type { PrismaClient } from "@prisma/client";
import { decryptSecret, encryptSecret, type EncryptionKeyring } from "../security/encryption.server";

export type SlackAlertKind = "urgent" | "vip" | "botEscalation" | "report";

const COLUMN = {
  urgent: "urgentUrlCiphertext",
  vip: "vipUrlCiphertext",
  botEscalation: "botEscalationUrlCiphertext",
  report: "reportUrlCiphertext",
} as const;

/** The Slack URL for one kind of alert, decrypted, or null when the merchant set none. */
export async function slackUrlFor(db: PrismaClient, keyring: EncryptionKeyring, shop: string, kind: SlackAlertKind): Promise<string | null> {
  const row = await db.slackSettings.findUnique({ where: { shop } });
  const sealed = row?.[COLUMN[kind]];
  return sealed ? decryptSecret(keyring, sealed) : null;
}

export async function saveSlackUrl(db: PrismaClient, keyring: EncryptionKeyring, shop: string, kind: SlackAlertKind, url: string | null): Promise<void> {
  const data = { [COLUMN[kind]]: url ? encryptSecret(keyring, url) : null };
  await db.slackSettings.upsert({ where: { shop }, create: { shop, ...data }, update: data });
}
