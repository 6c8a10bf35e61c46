import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/**
 * Secrets at rest (Oscar API keys, webhook secrets, Slack URLs): AES-256-GCM with a key version in
 * every ciphertext, so a new key can be introduced and old rows still read while they are re-encrypted.
 * Format: `v<version>.<iv>.<auth tag>.<ciphertext>` (base64url parts).
 */

export type EncryptionKeyring = { current: number; keys: Map<number, Buffer> };

export class DecryptionError extends Error {
  override name = "DecryptionError";
}

/** Parses ENCRYPTION_KEYS: `<version>:<base64 32-byte key>` pairs, comma-separated, newest first. */
export function parseKeyring(value: string): EncryptionKeyring {
  const keys = new Map<number, Buffer>();
  let current: number | undefined;
  for (const entry of value.split(",").map((s) => s.trim()).filter(Boolean)) {
    const match = /^(\d{1,6}):([A-Za-z0-9+/=_-]+)$/.exec(entry);
    if (!match) throw new Error("each entry must look like 1:<base64 key>");
    const version = Number(match[1]);
    const key = Buffer.from(match[2], "base64");
    if (key.length !== 32) throw new Error(`key version ${version} must be 32 bytes (base64 of 32 random bytes)`);
    if (keys.has(version)) throw new Error(`key version ${version} appears twice`);
    keys.set(version, key);
    current ??= version;
  }
  if (current === undefined) throw new Error("at least one key is needed");
  return { current, keys };
}

export function encryptSecret(keyring: EncryptionKeyring, plaintext: string): string {
  const key = keyring.keys.get(keyring.current)!;
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return ["v" + keyring.current, iv, cipher.getAuthTag(), ciphertext]
    .map((part) => (typeof part === "string" ? part : part.toString("base64url")))
    .join(".");
}

export function decryptSecret(keyring: EncryptionKeyring, sealed: string): string {
  const [versionPart, iv, tag, ciphertext] = sealed.split(".");
  const version = Number(versionPart?.slice(1));
  const key = keyring.keys.get(version);
  if (!versionPart?.startsWith("v") || !key || !iv || !tag || ciphertext === undefined) {
    throw new DecryptionError(key ? "The stored secret is malformed." : `The stored secret was encrypted with key version ${versionPart?.slice(1)}, which is not configured.`);
  }
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new DecryptionError("The stored secret could not be decrypted: it was altered or the key is wrong.");
  }
}

/** True when a secret should be re-encrypted with the current key (key rotation). */
export function needsReencryption(keyring: EncryptionKeyring, sealed: string): boolean {
  return !sealed.startsWith(`v${keyring.current}.`);
}

export function generateKeyringEntry(version = 1): string {
  return `${version}:${randomBytes(32).toString("base64")}`;
}
