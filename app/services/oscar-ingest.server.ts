import { createSecretKey, hash, type KeyObject } from "node:crypto";
import type { OscarConnection } from "@prisma/client";
import type { Logger } from "../logger.server";
import { isKnownOscarEventType, OscarWebhookEnvelopeSchema, OscarWebhookEventSchema } from "../oscar/contract";
import type { FairShare } from "../queues/fair-share.server";
import { QueueUnavailableError, type JobProducer } from "../queues/producer.server";
import { decryptSecret, encryptSecret, SECRET_FIELDS, type EncryptionKeyring } from "../security/encryption.server";
import { OSCAR_SIGNATURE_HEADER, verifyOscarSignature } from "../webhooks/oscar-signature.server";
import { BodyTooLargeError, readBodyWithLimit } from "../webhooks/read-body.server";
import { jsonResponse } from "../http/json.server";
import type { UnexpectedOscarEvents } from "./unexpected-oscar-events.server";

/** Oscar's events are small JSON documents; anything near this size is not one. */
export const MAX_OSCAR_WEBHOOK_BYTES = 256 * 1024;

/**
 * The shop an ingest key belongs to and its webhook secret, decrypted (as a key object when it comes
 * from the cache below: imported once rather than on every delivery's HMAC).
 */
export type IngestTarget = { shop: string; secret: string | KeyObject };

export type OscarIngestDeps = {
  findIngestTarget(ingestKey: string): Promise<IngestTarget | null>;
  producer: JobProducer;
  /** Which lane a shop's event queues in, so one shop's flood does not hold up the others. */
  fairShare: FairShare;
  /** Where well-signed events of an unexpected shape are kept for inspection. */
  unexpectedEvents: UnexpectedOscarEvents;
  keyring: EncryptionKeyring;
  logger: Logger;
  now?: () => number;
};

/** The answer to one delivery, independent of the HTTP server that carries it. */
export type IngestAnswer = { status: number; body: Record<string, unknown>; headers: Record<string, string> };

const JSON_HEADERS: Readonly<Record<string, string>> = Object.freeze({ "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" });
const answer = (status: number, body: Record<string, unknown>, headers?: Record<string, string>): IngestAnswer => ({
  status,
  body,
  // The same object for nearly every answer: none is built per delivery.
  headers: headers ? { ...JSON_HEADERS, ...headers } : JSON_HEADERS,
});

/** One delivery as it arrived: the key in the URL, the signature header, and a way to read the body. */
export type OscarDelivery = {
  ingestKey: string;
  signature: string | null | undefined;
  /** Reads at most `limitBytes`, throwing BodyTooLargeError past it. */
  readBody(limitBytes: number): Promise<Uint8Array>;
};

/** The Remix route's adapter: a Fetch Request in, a Response out. */
export async function ingestOscarWebhook(deps: OscarIngestDeps, ingestKey: string, request: Request): Promise<Response> {
  const result = await ingestOscarDelivery(deps, {
    ingestKey,
    signature: request.headers.get(OSCAR_SIGNATURE_HEADER),
    readBody: (limit) => readBodyWithLimit(request, limit),
  });
  return jsonResponse(result.body, { status: result.status, headers: result.headers });
}

/**
 * Takes one Oscar webhook delivery: verify it, store it as a job, and only then acknowledge it.
 * Every refusal is a status Oscar understands: 4xx for deliveries that can never succeed (not
 * signed, not JSON), 503 (redeliver later) when the event could not be stored. A signed JSON event
 * the app cannot read is acknowledged and kept for inspection: redelivering it would never help.
 * Nothing is acknowledged unless stored.
 */
export async function ingestOscarDelivery(deps: OscarIngestDeps, delivery: OscarDelivery): Promise<IngestAnswer> {
  const now = deps.now ?? Date.now;
  const { ingestKey } = delivery;
  const connection = /^[A-Za-z0-9_-]{16,64}$/.test(ingestKey) ? await deps.findIngestTarget(ingestKey) : null;
  if (!connection) return answer(404, { error: "No shop is connected at this webhook URL." });

  let raw: Uint8Array;
  try {
    raw = await delivery.readBody(MAX_OSCAR_WEBHOOK_BYTES);
  } catch (error) {
    if (error instanceof BodyTooLargeError) return answer(413, { error: `The body is larger than ${MAX_OSCAR_WEBHOOK_BYTES} bytes.` });
    throw error;
  }

  if (!verifyOscarSignature(raw, delivery.signature, connection.secret)) {
    return answer(401, { error: "The x-oscar-signature header is missing or does not match the body." });
  }

  let json: unknown;
  try {
    // A view of the bytes, not a copy.
    json = JSON.parse(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString("utf8"));
  } catch {
    return answer(400, { error: "The body is not JSON." });
  }
  // The event's own schema first: it is what nearly every delivery passes, and each parse costs CPU on
  // the hot path. Only a delivery it refuses is read again as a bare envelope, to say why.
  const event = OscarWebhookEventSchema.safeParse(json);
  if (!event.success) {
    const envelope = OscarWebhookEnvelopeSchema.safeParse(json);
    if (!envelope.success) return keepUnexpected(deps, connection.shop, raw, typeOf(json), describeIssues(envelope.error.issues));
    // A signed event of a type this app does not handle (yet) is acknowledged, so Oscar stops redelivering it.
    if (!isKnownOscarEventType(envelope.data.type)) return answer(202, { ignored: `The event type ${envelope.data.type} is not handled.` });
    return keepUnexpected(deps, connection.shop, raw, envelope.data.type, describeIssues(event.error.issues));
  }

  const eventKey = event.data.id ?? `sha256-${hash("sha256", raw, "hex")}`;
  const jobId = oscarEventJobId(connection.shop, eventKey);
  const receivedAt = now();
  const priority = deps.fairShare.priorityFor(connection.shop, receivedAt);
  try {
    const job = await deps.producer.enqueue(
      "oscar.event",
      {
        shop: connection.shop,
        eventKey,
        type: event.data.type,
        receivedAt,
        // The body exactly as Oscar signed it (the worker reads it with the same schema): serialising
        // the parsed event again would only cost the hot path time.
        sealedEvent: encryptSecret(deps.keyring, raw, { shop: connection.shop, field: SECRET_FIELDS.oscarEvent }),
      },
      // The job id makes a redelivered event land on the job that already exists.
      priority ? { jobId, priority } : { jobId },
    );
    return answer(202, { accepted: true, job: job.id });
  } catch (error) {
    if (error instanceof QueueUnavailableError) {
      deps.logger.warn({ shop: connection.shop, type: event.data.type }, "Oscar event refused: queue unavailable");
      return answer(503, { error: "The event could not be stored right now; redeliver it later." }, { "Retry-After": "5" });
    }
    throw error;
  }
}

/** Acknowledges a signed event the app cannot read, once it is kept; 503 when it could not be. */
async function keepUnexpected(deps: OscarIngestDeps, shop: string, raw: Uint8Array, type: string, problems: string): Promise<IngestAnswer> {
  const receivedAt = (deps.now ?? Date.now)();
  try {
    await deps.unexpectedEvents.keep(shop, { type, receivedAt, problems }, raw);
  } catch {
    deps.logger.warn({ shop, type }, "Oscar event of an unexpected shape could not be kept: Redis unavailable");
    return answer(503, { error: "The event could not be stored right now; redeliver it later." }, { "Retry-After": "5" });
  }
  deps.logger.warn({ shop, type, problems }, "Oscar event of an unexpected shape kept for inspection");
  return answer(202, { kept: `The event is not in the shape this app reads (${problems}); it was kept for inspection.` });
}

/** The event's type when it names one, without trusting anything else in the body. */
function typeOf(json: unknown): string {
  const type = json && typeof json === "object" && !Array.isArray(json) ? (json as { type?: unknown }).type : undefined;
  return typeof type === "string" && type.length > 0 ? type.slice(0, 64) : "unknown";
}

/**
 * Looks ingest keys up in the database, remembering each answer for `ttlMs` so a stream of events
 * costs no query and no decryption per request. A rotated connection gets a new ingest key, so a
 * cached entry can only keep an old URL working for at most `ttlMs` after rotation.
 */
export function cachedIngestTargets(
  find: (ingestKey: string) => Promise<Pick<OscarConnection, "shop" | "webhookSecretCiphertext"> | null>,
  keyring: EncryptionKeyring,
  { ttlMs = 30_000, maxEntries = 10_000, now = Date.now }: { ttlMs?: number; maxEntries?: number; now?: () => number } = {},
): (ingestKey: string) => Promise<IngestTarget | null> {
  const cache = new Map<string, { target: IngestTarget | null; expires: number }>();
  return async (ingestKey) => {
    const hit = cache.get(ingestKey);
    if (hit && hit.expires > now()) return hit.target;
    const connection = await find(ingestKey);
    const target = connection?.webhookSecretCiphertext
      ? {
          shop: connection.shop,
          secret: createSecretKey(decryptSecret(keyring, connection.webhookSecretCiphertext, { shop: connection.shop, field: SECRET_FIELDS.oscarWebhookSecret }), "utf8"),
        }
      : null;
    // Unknown keys are remembered too (briefly), so a flood of bad URLs cannot hammer the database.
    if (cache.size >= maxEntries) cache.delete(cache.keys().next().value!);
    cache.set(ingestKey, { target, expires: now() + (target ? ttlMs : Math.min(ttlMs, 5_000)) });
    return target;
  };
}

/** BullMQ forbids ':' in custom ids; hashing also keeps Oscar's id format out of Redis key names. */
export function oscarEventJobId(shop: string, eventKey: string): string {
  // crypto.hash: one call, no Hash object to build and collect per delivery.
  return `oscar-${hash("sha256", `${shop}\n${eventKey}`, "hex").slice(0, 40)}`;
}

function describeIssues(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): string {
  // Paths and messages name fields, never values, so nothing the shopper wrote is echoed back.
  return issues
    .slice(0, 3)
    .map((issue) => `${issue.path.map(String).join(".") || "body"} ${issue.message.toLowerCase()}`)
    .join("; ");
}
