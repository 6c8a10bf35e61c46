import { createHmac, timingSafeEqual, type KeyObject } from "node:crypto";

export const OSCAR_SIGNATURE_HEADER = "x-oscar-signature";

const SIGNATURE_FORMAT = /^sha256=([0-9a-f]{64})$/i;

/**
 * Checks `x-oscar-signature: sha256=<hex HMAC-SHA256 of the raw body>` in constant time.
 * A missing, malformed or wrong-length header is simply "not signed": it never throws.
 */
export function verifyOscarSignature(rawBody: Uint8Array, header: string | null | undefined, secret: string | KeyObject): boolean {
  const match = header ? SIGNATURE_FORMAT.exec(header.trim()) : null;
  if (!match) return false;
  const expected = createHmac("sha256", secret).update(rawBody).digest();
  const given = Buffer.from(match[1], "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function signOscarPayload(rawBody: Uint8Array | string, secret: string): string {
  return `sha256=${createHmac("sha256", secret).update(rawBody).digest("hex")}`;
}
