import { createCipheriv, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decryptSecret, encryptSecret, generateKeyringEntry, isSealed, keyVersionOf, needsReencryption, parseKeyring, reencryptSecret } from "./encryption.server";

const SHOP = "alpine-outfitters.myshopify.com";
const OTHER_SHOP = "harbor-goods.myshopify.com";
const API_KEY = { shop: SHOP, field: "oscar-connection.apiKey" };

/** A format-1 ciphertext written the way the app wrote them before associated data (no AAD; tag as long as asked). */
function sealFormat1(key: Buffer, version: number, plaintext: string, tagBytes = 16): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv, { authTagLength: tagBytes });
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [`v${version}`, iv, cipher.getAuthTag(), ciphertext].map((p) => (typeof p === "string" ? p : p.toString("base64url"))).join(".");
}

describe("secrets at rest", () => {
  const v1 = generateKeyringEntry(1);
  const v2 = generateKeyringEntry(2);

  it("round-trips and never stores the plaintext", () => {
    const keyring = parseKeyring(v1);
    const sealed = encryptSecret(keyring, "osk_live_0123456789", API_KEY);
    expect(sealed).toMatch(/^s2\.1\./);
    expect(sealed).not.toContain("osk_live");
    expect(Buffer.from(sealed.split(".")[4], "base64url").toString()).not.toContain("osk_live");
    expect(decryptSecret(keyring, sealed, API_KEY)).toBe("osk_live_0123456789");
    // A fresh IV each time: equal secrets do not give equal ciphertexts.
    expect(encryptSecret(keyring, "osk_live_0123456789", API_KEY)).not.toBe(sealed);
    expect(isSealed(sealed)).toBe(true);
    expect(isSealed("shpat_0123456789abcdef")).toBe(false);
  });

  it("never gives two seals the same IV, across the IV pool's refills, and each still opens", () => {
    // IVs come from a pool refilled 256 at a time: 1,000 seals cross several refills. One repeated
    // IV under one key would let GCM's authentication key be recovered.
    const keyring = parseKeyring(v1);
    const sealed = Array.from({ length: 1_000 }, (_, i) => encryptSecret(keyring, `secret-${i}`, API_KEY));
    const ivs = sealed.map((s) => s.split(".")[2]);
    expect(ivs.every((iv) => Buffer.from(iv, "base64url").length === 12)).toBe(true);
    expect(new Set(ivs).size).toBe(1_000);
    expect(sealed.map((s) => decryptSecret(keyring, s, API_KEY))).toEqual(Array.from({ length: 1_000 }, (_, i) => `secret-${i}`));
  });

  it("opens a ciphertext only for the shop and field it was sealed for", () => {
    const keyring = parseKeyring(v1);
    const sealed = encryptSecret(keyring, "osk_live_0123456789", API_KEY);
    const refused = "The stored secret could not be decrypted: it was altered, belongs to another shop or field, or the key is wrong.";
    expect(() => decryptSecret(keyring, sealed, { shop: OTHER_SHOP, field: API_KEY.field })).toThrow(refused);
    expect(() => decryptSecret(keyring, sealed, { shop: SHOP, field: "oscar-connection.webhookSecret" })).toThrow(refused);
    // The separator cannot be used to make two different contexts read the same.
    expect(() => encryptSecret(keyring, "x", { shop: `${SHOP}|x`, field: "f" })).toThrow("without '|'");
  });

  it("refuses a shortened auth tag, in either format", () => {
    const keyring = parseKeyring(v1);
    const sealed = encryptSecret(keyring, "secret", API_KEY);
    const parts = sealed.split(".");
    const fourBytes = Buffer.from(parts[3], "base64url").subarray(0, 4).toString("base64url");
    expect(() => decryptSecret(keyring, [...parts.slice(0, 3), fourBytes, parts[4]].join("."), API_KEY)).toThrow("malformed");

    // Format 1 with a 4-byte tag is a valid GCM ciphertext that Node would open without authTagLength.
    const shortTag = sealFormat1(keyring.keys.get(1)!, 1, "secret", 4);
    expect(() => decryptSecret(keyring, shortTag, API_KEY)).toThrow("malformed");
  });

  it("still reads format-1 ciphertexts (written before associated data) and flags them for re-encryption", () => {
    const keyring = parseKeyring(v1);
    const old = sealFormat1(keyring.keys.get(1)!, 1, "secret-a");
    expect(decryptSecret(keyring, old, API_KEY)).toBe("secret-a");
    expect(needsReencryption(keyring, old)).toBe(true);
    const upgraded = reencryptSecret(keyring, old, API_KEY);
    expect(upgraded).toMatch(/^s2\.1\./);
    expect(decryptSecret(keyring, upgraded, API_KEY)).toBe("secret-a");
    expect(() => decryptSecret(keyring, upgraded, { shop: OTHER_SHOP, field: API_KEY.field })).toThrow("belongs to another shop");
  });

  it("reads secrets sealed with an older key after rotation and flags them for re-encryption", () => {
    const old = encryptSecret(parseKeyring(v1), "secret-a", API_KEY);
    const rotated = parseKeyring(`${v2},${v1}`);
    expect(decryptSecret(rotated, old, API_KEY)).toBe("secret-a");
    expect(needsReencryption(rotated, old)).toBe(true);
    const fresh = reencryptSecret(rotated, old, API_KEY);
    expect(keyVersionOf(fresh)).toBe(2);
    expect(needsReencryption(rotated, fresh)).toBe(false);
    expect(reencryptSecret(rotated, fresh, API_KEY)).toBe(fresh);
    // The old key can go: the rewritten secret opens with the new key alone.
    expect(decryptSecret(parseKeyring(v2), fresh, API_KEY)).toBe("secret-a");
  });

  it("refuses altered ciphertext and unknown key versions with a sentence", () => {
    const keyring = parseKeyring(v1);
    const sealed = encryptSecret(keyring, "secret", API_KEY);
    const parts = sealed.split(".");
    const flipped = Buffer.from(parts[4], "base64url");
    flipped[0] ^= 1;
    expect(() => decryptSecret(keyring, [...parts.slice(0, 4), flipped.toString("base64url")].join("."), API_KEY)).toThrow(
      "The stored secret could not be decrypted",
    );
    expect(() => decryptSecret(parseKeyring(v2), sealed, API_KEY)).toThrow("key version 1, which is not configured");
    expect(() => decryptSecret(keyring, "shpat_plain", API_KEY)).toThrow("malformed");
  });

  it("rejects keyrings that would weaken encryption", () => {
    expect(() => parseKeyring("1:c2hvcnQ=")).toThrow("must be 32 bytes");
    expect(() => parseKeyring(`${v1},${v1}`)).toThrow("appears twice");
    expect(() => parseKeyring("")).toThrow("at least one key");
  });
});
