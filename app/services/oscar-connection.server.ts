import { randomBytes } from "node:crypto";
import type { OscarConnection, PrismaClient } from "@prisma/client";
import type { Logger } from "../logger.server";
import type { OscarClient } from "../oscar/client.server";
import { OSCAR_WEBHOOK_EVENT_TYPES, type Workspace } from "../oscar/contract";
import { OscarError, OscarKeyRejectedError, OscarTransientError } from "../oscar/errors";
import { ShopNotConnectedError } from "../oscar/for-shop.server";
import { findConnection, saveWorkspace } from "../models/oscar-connection.server";
import { decryptSecret, encryptSecret, SECRET_FIELDS, type EncryptionKeyring } from "../security/encryption.server";

export type OscarConnectionDeps = {
  db: PrismaClient;
  keyring: EncryptionKeyring;
  /** The Oscar client for a given key (the key is not stored until Oscar accepted it). */
  oscarWithKey: (apiKey: string) => OscarClient;
  appUrl: string;
  logger: Logger;
};

/** The URL Oscar posts this shop's events to: an opaque key, never the shop's domain. */
export const oscarWebhookUrl = (appUrl: string, ingestKey: string) => `${appUrl}/webhooks/oscar/${ingestKey}`;

const newIngestKey = () => randomBytes(24).toString("base64url");
const newWebhookSecret = () => randomBytes(32).toString("hex");

/**
 * Connects (or reconnects with a new key) a shop to Oscar: the key is verified by listing its
 * workspaces, a webhook is registered with a fresh secret, and only then is anything stored,
 * encrypted. A rejected key throws Oscar's error and leaves the stored connection as it was.
 */
export async function connectOscar(
  deps: OscarConnectionDeps,
  shop: string,
  apiKey: string,
  options: { requireWorkspaceId?: string | null } = {},
): Promise<{ connection: OscarConnection; workspaces: Workspace[] }> {
  const oscar = deps.oscarWithKey(apiKey);
  const workspaces = await oscar.listWorkspaces();
  if (options.requireWorkspaceId && !workspaces.some((w) => String(w.id) === options.requireWorkspaceId)) {
    throw new OscarWorkspaceMismatchError();
  }
  const previous = await deps.db.oscarConnection.findUnique({ where: { shop } });

  const ingestKey = newIngestKey();
  const secret = newWebhookSecret();
  const webhook = await oscar.createWebhook({ url: oscarWebhookUrl(deps.appUrl, ingestKey), events: [...OSCAR_WEBHOOK_EVENT_TYPES], secret });
  const only = workspaces.length === 1 ? workspaces[0] : undefined;
  const data = {
    apiKeyCiphertext: encryptSecret(deps.keyring, apiKey, { shop, field: SECRET_FIELDS.oscarApiKey }),
    apiKeyLast4: apiKey.slice(-4),
    ingestKey,
    webhookId: String(webhook.id),
    webhookSecretCiphertext: encryptSecret(deps.keyring, secret, { shop, field: SECRET_FIELDS.oscarWebhookSecret }),
    webhookRegisteredAt: new Date(),
    workspaceId: only ? String(only.id) : (previous?.workspaceId ?? null),
    workspaceName: only ? only.name : (previous?.workspaceName ?? null),
  };
  const connection = await deps.db.oscarConnection.upsert({ where: { shop }, create: { shop, ...data }, update: data });

  // The old registration would keep delivering to a URL that no longer verifies: remove it.
  if (previous?.webhookId) await removeWebhook(deps, previous).catch(() => {});
  deps.logger.info({ shop, workspaces: workspaces.length, rotated: Boolean(previous) }, "Oscar connected");
  return { connection, workspaces };
}

/** Removes the shop's webhook at Oscar with the key that registered it (best effort: the key may be revoked). */
async function removeWebhook(deps: OscarConnectionDeps, connection: Pick<OscarConnection, "shop" | "apiKeyCiphertext" | "webhookId">) {
  if (!connection.webhookId) return;
  await deps.oscarWithKey(decryptSecret(deps.keyring, connection.apiKeyCiphertext, { shop: connection.shop, field: SECRET_FIELDS.oscarApiKey })).deleteWebhook(connection.webhookId);
}

/** Disconnects: the webhook is removed at Oscar when the key still works, and the key is erased. */
export async function disconnectOscar(deps: OscarConnectionDeps, shop: string): Promise<{ webhookRemoved: boolean }> {
  const connection = await deps.db.oscarConnection.findUnique({ where: { shop } });
  if (!connection) return { webhookRemoved: false };
  const webhookRemoved = await removeWebhook(deps, connection).then(() => true, () => false);
  await deps.db.oscarConnection.deleteMany({ where: { shop } });
  deps.logger.info({ shop, webhookRemoved }, "Oscar disconnected");
  return { webhookRemoved };
}

/** A replacement key that cannot see the workspace the shop uses: it belongs to another Oscar account. */
export class OscarWorkspaceMismatchError extends Error {
  override name = "OscarWorkspaceMismatchError";
  constructor() {
    super("This key belongs to a different Oscar account: it cannot see the workspace your store uses. To switch accounts, disconnect first.");
  }
}

/**
 * Replaces the shop's key: the new key is verified (and must see the workspace in use), a webhook is
 * registered with a fresh secret at a fresh URL, and the old webhook is removed with the old key.
 */
export async function rotateOscarKey(deps: OscarConnectionDeps, shop: string, apiKey: string) {
  const current = await findConnection(deps.db, shop);
  if (!current) throw new ShopNotConnectedError();
  return connectOscar(deps, shop, apiKey, { requireWorkspaceId: current.workspaceId });
}

/** The workspaces the stored key can see (for a merchant whose key sees several and who has not chosen yet). */
export async function listOscarWorkspaces(deps: OscarConnectionDeps, shop: string): Promise<Workspace[]> {
  const connection = await findConnection(deps.db, shop);
  if (!connection) throw new ShopNotConnectedError();
  return deps.oscarWithKey(decryptSecret(deps.keyring, connection.apiKeyCiphertext, { shop, field: SECRET_FIELDS.oscarApiKey })).listWorkspaces();
}

/** Records the workspace the merchant chose, after checking that the stored key can see it. */
export async function chooseOscarWorkspace(deps: OscarConnectionDeps, shop: string, workspaceId: string): Promise<Workspace> {
  const workspace = (await listOscarWorkspaces(deps, shop)).find((w) => String(w.id) === workspaceId);
  if (!workspace) throw new OscarWorkspaceNotFoundError();
  await saveWorkspace(deps.db, shop, { id: String(workspace.id), name: workspace.name });
  return workspace;
}

export class OscarWorkspaceNotFoundError extends Error {
  override name = "OscarWorkspaceNotFoundError";
  constructor() {
    super("Your Oscar key cannot see that workspace any more. Choose one from the list.");
  }
}

/**
 * What to tell the merchant when talking to Oscar failed, or null for a failure that is a bug (the
 * caller rethrows it). Oscar's own error text is never shown: it may echo what was sent.
 */
export function describeOscarFailure(error: unknown): string | null {
  if (error instanceof OscarKeyRejectedError) {
    return "Oscar rejected the API key. Check that you copied the whole key and that it is still active in your Oscar account.";
  }
  if (error instanceof OscarTransientError) return "Oscar did not answer in time. Nothing was changed; try again in a minute.";
  if (error instanceof OscarError) return `${error.message}. Nothing was changed.`;
  if (error instanceof ShopNotConnectedError) return "Oscar is not connected. Connect it from the home page first.";
  if (error instanceof OscarWorkspaceMismatchError || error instanceof OscarWorkspaceNotFoundError) return error.message;
  return null;
}
