import type { PrismaClient } from "@prisma/client";
import type { Logger } from "../logger.server";
import { findConnection } from "../models/oscar-connection.server";
import { decryptSecret, SECRET_FIELDS, type EncryptionKeyring } from "../security/encryption.server";
import { createOscarClient, type OscarClient, type OscarClientOptions } from "./client.server";
import type { OscarJobStarts, OscarRateLimiter } from "./rate-limit.server";

export class ShopNotConnectedError extends Error {
  override name = "ShopNotConnectedError";
  constructor() {
    super("This shop has not connected an Oscar account (or disconnected it).");
  }
}

export type OscarClientFactory = (shop: string) => Promise<OscarClient>;

/** Builds the Oscar client for a shop from its stored (encrypted) key; the key lives only in memory. */
export function createOscarClientFactory({ db, keyring, baseUrl, limiter, jobStarts, logger, timeoutMs, retry }: {
  db: PrismaClient;
  keyring: EncryptionKeyring;
  baseUrl: string;
  limiter: OscarRateLimiter;
  jobStarts?: OscarJobStarts;
  logger: Logger;
  /** A page waiting on Oscar wants shorter limits than a job does. */
  timeoutMs?: OscarClientOptions["timeoutMs"];
  retry?: OscarClientOptions["retry"];
}): OscarClientFactory {
  return async (shop) => {
    const connection = await findConnection(db, shop);
    if (!connection) throw new ShopNotConnectedError();
    return createOscarClient({ baseUrl, apiKey: decryptSecret(keyring, connection.apiKeyCiphertext, { shop, field: SECRET_FIELDS.oscarApiKey }), limiter, jobStarts, logger, timeoutMs, retry });
  };
}
