import { Session } from "@shopify/shopify-api";
import type { PrismaSessionStorageInterface } from "@shopify/shopify-app-session-storage-prisma";
import { describe, expect, it } from "vitest";
import { EncryptedSessionStorage } from "./encrypted-session-storage.server";
import { generateKeyringEntry, parseKeyring } from "./encryption.server";

const SHOP = "alpine-outfitters.myshopify.com";
const OTHER_SHOP = "harbor-goods.myshopify.com";

/** Prisma's storage as far as the wrapper can tell: sessions kept as given. */
function memoryStorage(): PrismaSessionStorageInterface & { rows: Map<string, Session> } {
  const rows = new Map<string, Session>();
  return {
    rows,
    storeSession: async (session) => (rows.set(session.id, new Session(session.toObject())), true),
    loadSession: async (id) => rows.get(id),
    deleteSession: async (id) => rows.delete(id),
    deleteSessions: async (ids) => (ids.forEach((id) => rows.delete(id)), true),
    findSessionsByShop: async (shop) => [...rows.values()].filter((s) => s.shop === shop),
    isReady: async () => true,
  };
}

const offline = (shop: string, accessToken: string, refreshToken?: string) =>
  new Session({ id: `offline_${shop}`, shop, state: "", isOnline: false, accessToken, refreshToken, scope: "read_orders" });

describe("sessions with sealed tokens", () => {
  const keyring = parseKeyring(generateKeyringEntry(1));

  it("stores the access and refresh tokens sealed and gives them back open", async () => {
    const inner = memoryStorage();
    const storage = new EncryptedSessionStorage(inner, keyring);
    const session = offline(SHOP, "shpat_live_token", "shprt_refresh_token");
    await storage.storeSession(session);

    const stored = inner.rows.get(session.id)!;
    expect(stored.accessToken).toMatch(/^s2\.1\./);
    expect(stored.refreshToken).toMatch(/^s2\.1\./);
    expect(JSON.stringify(stored.toObject())).not.toMatch(/shpat_|shprt_/);
    // The caller's session is not changed by storing it.
    expect(session.accessToken).toBe("shpat_live_token");
    expect((await storage.loadSession(session.id))?.toObject()).toEqual(session.toObject());
    expect((await storage.findSessionsByShop(SHOP)).map((s) => s.accessToken)).toEqual(["shpat_live_token"]);
  });

  it("seals a row stored in plain text the first time it is read", async () => {
    const inner = memoryStorage();
    const sealedShops: string[] = [];
    const storage = new EncryptedSessionStorage(inner, keyring, (shop) => sealedShops.push(shop));
    await inner.storeSession(offline(SHOP, "shpat_from_before"));

    expect((await storage.loadSession(`offline_${SHOP}`))?.accessToken).toBe("shpat_from_before");
    expect(inner.rows.get(`offline_${SHOP}`)!.accessToken).toMatch(/^s2\.1\./);
    expect(sealedShops).toEqual([SHOP]);
    expect((await storage.loadSession(`offline_${SHOP}`))?.accessToken).toBe("shpat_from_before");
    expect(sealedShops).toEqual([SHOP]);
  });

  it("refuses a token copied from another shop's row", async () => {
    const inner = memoryStorage();
    const storage = new EncryptedSessionStorage(inner, keyring);
    await storage.storeSession(offline(OTHER_SHOP, "shpat_other_shop"));
    await storage.storeSession(offline(SHOP, "shpat_this_shop"));
    inner.rows.get(`offline_${SHOP}`)!.accessToken = inner.rows.get(`offline_${OTHER_SHOP}`)!.accessToken;
    await expect(storage.loadSession(`offline_${SHOP}`)).rejects.toThrow("belongs to another shop or field");
  });
});
