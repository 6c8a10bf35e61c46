import { Session } from "@shopify/shopify-api";
import type { PrismaSessionStorageInterface } from "@shopify/shopify-app-session-storage-prisma";
import { decryptSecret, encryptSecret, isSealed, needsReencryption, SECRET_FIELDS, type EncryptionKeyring } from "./encryption.server";

/**
 * Shopify sessions with their tokens sealed: the offline access token and the refresh token (what
 * lets anyone call the Admin API as the app) are encrypted, bound to the shop, before Prisma's
 * storage writes them and opened after it reads them. Every other column is left to Prisma's storage.
 * Online sessions' staff names and emails are not secrets and stay as Prisma stores them; the app does
 * not request online tokens (app/shopify.server.ts).
 */

const TOKEN_FIELDS = [
  ["accessToken", SECRET_FIELDS.sessionAccessToken],
  ["refreshToken", SECRET_FIELDS.sessionRefreshToken],
] as const;

export type SessionTokenState = "plain" | "old-key" | "current";

/** Whether a stored token still needs sealing (plain text from before this storage) or re-sealing. */
export function sessionTokenState(keyring: EncryptionKeyring, stored: string): SessionTokenState {
  if (!isSealed(stored)) return "plain";
  return needsReencryption(keyring, stored) ? "old-key" : "current";
}

export class EncryptedSessionStorage implements PrismaSessionStorageInterface {
  constructor(
    private readonly inner: PrismaSessionStorageInterface,
    private readonly keyring: EncryptionKeyring,
    private readonly onPlainRowSealed: (shop: string) => void = () => {},
  ) {}

  async storeSession(session: Session): Promise<boolean> {
    return this.inner.storeSession(this.seal(session));
  }

  async loadSession(id: string): Promise<Session | undefined> {
    const stored = await this.inner.loadSession(id);
    return stored && (await this.openAndUpgrade(stored));
  }

  async findSessionsByShop(shop: string): Promise<Session[]> {
    const stored = await this.inner.findSessionsByShop(shop);
    return Promise.all(stored.map((session) => this.openAndUpgrade(session)));
  }

  deleteSession(id: string): Promise<boolean> {
    return this.inner.deleteSession(id);
  }

  deleteSessions(ids: string[]): Promise<boolean> {
    return this.inner.deleteSessions(ids);
  }

  isReady(): Promise<boolean> {
    return this.inner.isReady();
  }

  /** A copy of the session with each token sealed; the caller's session keeps its plain tokens. */
  seal(session: Session): Session {
    const sealed = new Session(session.toObject());
    for (const [name, field] of TOKEN_FIELDS) {
      const value = session[name];
      if (value) sealed[name] = encryptSecret(this.keyring, value, { shop: session.shop, field });
    }
    return sealed;
  }

  /** The session with its tokens opened. A token sealed for another shop throws: the row was tampered with. */
  open(session: Session): Session {
    const opened = new Session(session.toObject());
    for (const [name, field] of TOKEN_FIELDS) {
      const value = session[name];
      if (value && isSealed(value)) opened[name] = decryptSecret(this.keyring, value, { shop: session.shop, field });
    }
    return opened;
  }

  /** Rows written before this storage hold plain tokens: they are sealed the first time they are read. */
  private async openAndUpgrade(stored: Session): Promise<Session> {
    const opened = this.open(stored);
    const plain = TOKEN_FIELDS.some(([name]) => stored[name] && !isSealed(stored[name]));
    if (plain) {
      await this.inner.storeSession(this.seal(opened));
      this.onPlainRowSealed(stored.shop);
    }
    return opened;
  }
}
