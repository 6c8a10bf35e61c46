import { describe, expect, it } from "vitest";
import { decryptSecret, encryptSecret, generateKeyringEntry, needsReencryption, parseKeyring } from "./encryption.server";

describe("secrets at rest", () => {
  const v1 = generateKeyringEntry(1);
  const v2 = generateKeyringEntry(2);

  it("round-trips and never stores the plaintext", () => {
    const keyring = parseKeyring(v1);
    const sealed = encryptSecret(keyring, "osk_live_0123456789");
    expect(sealed).not.toContain("osk_live");
    expect(Buffer.from(sealed.split(".")[3], "base64url").toString()).not.toContain("osk_live");
    expect(decryptSecret(keyring, sealed)).toBe("osk_live_0123456789");
    // A fresh IV each time: equal secrets do not give equal ciphertexts.
    expect(encryptSecret(keyring, "osk_live_0123456789")).not.toBe(sealed);
  });

  it("reads secrets sealed with an older key after rotation and flags them for re-encryption", () => {
    const old = encryptSecret(parseKeyring(v1), "secret-a");
    const rotated = parseKeyring(`${v2},${v1}`);
    expect(decryptSecret(rotated, old)).toBe("secret-a");
    expect(needsReencryption(rotated, old)).toBe(true);
    expect(needsReencryption(rotated, encryptSecret(rotated, "secret-a"))).toBe(false);
  });

  it("refuses altered ciphertext and unknown key versions with a sentence", () => {
    const keyring = parseKeyring(v1);
    const sealed = encryptSecret(keyring, "secret");
    const parts = sealed.split(".");
    const flipped = Buffer.from(parts[3], "base64url");
    flipped[0] ^= 1;
    expect(() => decryptSecret(keyring, [...parts.slice(0, 3), flipped.toString("base64url")].join("."))).toThrow(
      "The stored secret could not be decrypted: it was altered or the key is wrong.",
    );
    expect(() => decryptSecret(parseKeyring(v2), sealed)).toThrow("key version 1, which is not configured");
  });

  it("rejects keyrings that would weaken encryption", () => {
    expect(() => parseKeyring("1:c2hvcnQ=")).toThrow("must be 32 bytes");
    expect(() => parseKeyring(`${v1},${v1}`)).toThrow("appears twice");
    expect(() => parseKeyring("")).toThrow("at least one key");
  });
});
