import { createCipheriv, createDecipheriv, createSecretKey, randomBytes, randomFillSync, type KeyObject } from "node:crypto";

/**
 * Secrets at rest (Oscar API keys, webhook secrets, Slack URLs, session tokens, sealed job data):
 * AES-256-GCM with a key version in every ciphertext, so a new key can be introduced and old rows
 * still read while they are re-encrypted.
 *
 * Format 2 (written now): `s2.<key version>.<iv>.<auth tag>.<ciphertext>` (base64url parts), sealed
 * with associated data naming the shop and the field, so a ciphertext copied to another shop's row or
 * another column does not open. Format 1 (`v<key version>.<iv>.<auth tag>.<ciphertext>`, no associated
 * data) is still read, so rows written before format 2 keep working until the re-encryption job
 * rewrites them; both formats must carry a full 16-byte tag.
 */

export type EncryptionKeyring = { current: number; keys: Map<number, Buffer> };

/** Where a ciphertext belongs: it opens only for the same shop and field. */
export type SecretContext = { shop: string; field: string };

/** The fields the app seals, one name per place a ciphertext lands. */
export const SECRET_FIELDS = {
  oscarApiKey: "oscar-connection.apiKey",
  oscarWebhookSecret: "oscar-connection.webhookSecret",
  sessionAccessToken: "session.accessToken",
  sessionRefreshToken: "session.refreshToken",
  /** `slack-settings.<column>`: one per alert kind, see app/models/slack-settings.server.ts. */
  slackUrl: (column: string) => `slack-settings.${column}`,
  oscarEvent: "oscar-event.sealedEvent",
  customerCache: "customer-cache",
  dataExport: "data-export",
  unexpectedOscarEvent: "oscar-unexpected-event.body",
  flowActionText: "flow-action.sealedText",
} as const;

export class DecryptionError extends Error {
  override name = "DecryptionError";
}

const IV_BYTES = 12;
const TAG_BYTES = 16;
const FORMAT_2 = /^s2\.(\d{1,6})\.([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]*)$/;
const FORMAT_1 = /^v(\d{1,6})\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]*)$/;

/** True when a value is one of the app's ciphertexts (either format), rather than plain text. */
export function isSealed(value: string): boolean {
  return FORMAT_2.test(value) || FORMAT_1.test(value);
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

/** The associated data for a context; shops are myshopify domains and fields are ours, so `|` cannot occur in either. */
function associatedData({ shop, field }: SecretContext): Buffer {
  if (!shop || !field || shop.includes("|") || field.includes("|")) throw new Error("A secret's context needs a shop and a field, without '|'.");
  return Buffer.from(`oscar-chat-secret|${field}|${shop}`, "utf8");
}

/**
 * Each key imported once: a raw Buffer key is imported again by every createCipheriv, about a
 * quarter of the CPU of sealing an event on the ingest path (7 -> 5 µs, measured in process).
 */
const keyObjects = new WeakMap<Buffer, KeyObject>();
function keyObjectFor(key: Buffer): KeyObject {
  let keyObject = keyObjects.get(key);
  if (!keyObject) keyObjects.set(key, (keyObject = createSecretKey(key)));
  return keyObject;
}

/**
 * A fresh random IV for every seal, taken from a pool the CSPRNG fills 256 IVs at a time: one
 * randomBytes call per seal cost about as much CPU as the encryption itself (10 -> 7 µs a seal). Each IV is handed out once
 * (a refill allocates a new pool, so no IV is ever reused), and IVs are not secret in GCM: they are
 * published in the ciphertext. GCM needs them unique, which 96 random bits are.
 */
const IVS_PER_POOL = 256;
let ivPool = Buffer.alloc(0);
let ivNext = 0;
function freshIv(): Buffer {
  if (ivNext + IV_BYTES > ivPool.length) {
    ivPool = randomFillSync(Buffer.allocUnsafeSlow(IV_BYTES * IVS_PER_POOL));
    ivNext = 0;
  }
  const iv = ivPool.subarray(ivNext, ivNext + IV_BYTES);
  ivNext += IV_BYTES;
  return iv;
}

/** Seals text, or bytes that are UTF-8 text (a request body as it arrived, without decoding it first). */
export function encryptSecret(keyring: EncryptionKeyring, plaintext: string | Uint8Array, context: SecretContext): string {
  const key = keyObjectFor(keyring.keys.get(keyring.current)!);
  const iv = freshIv();
  const cipher = createCipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(associatedData(context));
  const head = typeof plaintext === "string" ? cipher.update(plaintext, "utf8") : cipher.update(plaintext);
  const tail = cipher.final(); // empty for GCM, a stream mode; kept for correctness all the same
  const ciphertext = tail.length ? Buffer.concat([head, tail]) : head;
  return `s2.${keyring.current}.${iv.toString("base64url")}.${cipher.getAuthTag().toString("base64url")}.${ciphertext.toString("base64url")}`;
}

export function decryptSecret(keyring: EncryptionKeyring, sealed: string, context: SecretContext): string {
  const aad = associatedData(context);
  const format2 = FORMAT_2.exec(sealed);
  const match = format2 ?? FORMAT_1.exec(sealed);
  if (!match) throw new DecryptionError("The stored secret is malformed.");
  const [, version, iv, tag, ciphertext] = match;
  const key = keyring.keys.get(Number(version));
  if (!key) throw new DecryptionError(`The stored secret was encrypted with key version ${version}, which is not configured.`);
  const ivBytes = Buffer.from(iv, "base64url");
  const tagBytes = Buffer.from(tag, "base64url");
  // GCM would accept a tag as short as 4 bytes, which an attacker can forge by trial: only full tags open.
  if (ivBytes.length !== IV_BYTES || tagBytes.length !== TAG_BYTES) throw new DecryptionError("The stored secret is malformed.");
  try {
    const decipher = createDecipheriv("aes-256-gcm", keyObjectFor(key), ivBytes, { authTagLength: TAG_BYTES });
    if (format2) decipher.setAAD(aad);
    decipher.setAuthTag(tagBytes);
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new DecryptionError("The stored secret could not be decrypted: it was altered, belongs to another shop or field, or the key is wrong.");
  }
}

/** The key version a ciphertext was sealed with, or null when the value is not a ciphertext. */
export function keyVersionOf(sealed: string): number | null {
  const match = FORMAT_2.exec(sealed) ?? FORMAT_1.exec(sealed);
  return match ? Number(match[1]) : null;
}

/** True when a secret should be rewritten: sealed with an older key, or in format 1 (no associated data). */
export function needsReencryption(keyring: EncryptionKeyring, sealed: string): boolean {
  const match = FORMAT_2.exec(sealed);
  return !match || Number(match[1]) !== keyring.current;
}

/** Opens a secret and, when it uses an old key or format, seals it again under the current key. */
export function reencryptSecret(keyring: EncryptionKeyring, sealed: string, context: SecretContext): string {
  return needsReencryption(keyring, sealed) ? encryptSecret(keyring, decryptSecret(keyring, sealed, context), context) : sealed;
}

export function generateKeyringEntry(version = 1): string {
  return `${version}:${randomBytes(32).toString("base64")}`;
}
