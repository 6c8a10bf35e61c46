import { createHash } from "node:crypto";
import type { OscarConnection } from "@prisma/client";
import type { Logger } from "../logger.server";
import { isKnownOscarEventType, OscarWebhookEnvelopeSchema, OscarWebhookEventSchema } from "../oscar/contract";
import { QueueUnavailableError, type JobProducer } from "../queues/producer.server";
import { decryptSecret, encryptSecret, type EncryptionKeyring } from "../security/encryption.server";
import { OSCAR_SIGNATURE_HEADER, verifyOscarSignature } from "../webhooks/oscar-signature.server";
import { BodyTooLargeError, readBodyWithLimit } from "../webhooks/read-body.server";
import { jsonResponse } from "../http/json.server";

/** Oscar's events are small JSON documents; anything near this size is not one. */
export const MAX_OSCAR_WEBHOOK_BYTES = 256 * 1024;

export type OscarIngestDeps = {
  findConnectionByIngestKey(ingestKey: string): Promise<Pick<OscarConnection, "shop" | "webhookSecretCiphertext"> | null>;
  producer: JobProducer;
  keyring: EncryptionKeyring;
  logger: Logger;
  now?: () => number;
};

const answer = (status: number, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  jsonResponse(body, { status, headers: { "Cache-Control": "no-store", ...headers } });

/**
 * Takes one Oscar webhook delivery: verify it, store it as a job, and only then acknowledge it.
 * Every refusal is a status Oscar understands: 4xx for deliveries that can never succeed, 503
 * (redeliver later) when the event could not be stored. Nothing is acknowledged unless stored.
 */
export async function ingestOscarWebhook(deps: OscarIngestDeps, ingestKey: string, request: Request): Promise<Response> {
  const now = deps.now ?? Date.now;
  const connection = /^[A-Za-z0-9_-]{16,64}$/.test(ingestKey) ? await deps.findConnectionByIngestKey(ingestKey) : null;
  if (!connection?.webhookSecretCiphertext) return answer(404, { error: "No shop is connected at this webhook URL." });

  let raw: Uint8Array;
  try {
    raw = await readBodyWithLimit(request, MAX_OSCAR_WEBHOOK_BYTES);
  } catch (error) {
    if (error instanceof BodyTooLargeError) return answer(413, { error: `The body is larger than ${MAX_OSCAR_WEBHOOK_BYTES} bytes.` });
    throw error;
  }

  const secret = decryptSecret(deps.keyring, connection.webhookSecretCiphertext);
  if (!verifyOscarSignature(raw, request.headers.get(OSCAR_SIGNATURE_HEADER), secret)) {
    return answer(401, { error: "The x-oscar-signature header is missing or does not match the body." });
  }

  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(raw).toString("utf8"));
  } catch {
    return answer(400, { error: "The body is not JSON." });
  }
  const envelope = OscarWebhookEnvelopeSchema.safeParse(json);
  if (!envelope.success) return answer(400, { error: `The body is not an Oscar event: ${describeIssues(envelope.error.issues)}.` });
  // A signed event of a type this app does not handle (yet) is acknowledged, so Oscar stops redelivering it.
  if (!isKnownOscarEventType(envelope.data.type)) return answer(202, { ignored: `The event type ${envelope.data.type} is not handled.` });
  const event = OscarWebhookEventSchema.safeParse(json);
  if (!event.success) return answer(400, { error: `The ${envelope.data.type} event is missing fields: ${describeIssues(event.error.issues)}.` });

  const eventKey = envelope.data.id ?? `sha256-${createHash("sha256").update(raw).digest("hex")}`;
  try {
    const job = await deps.producer.enqueue(
      "oscar.event",
      {
        shop: connection.shop,
        eventKey,
        type: event.data.type,
        receivedAt: now(),
        sealedEvent: encryptSecret(deps.keyring, JSON.stringify(event.data)),
      },
      // The job id makes a redelivered event land on the job that already exists.
      { jobId: oscarEventJobId(connection.shop, eventKey) },
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

/** BullMQ forbids ':' in custom ids; hashing also keeps Oscar's id format out of Redis key names. */
export function oscarEventJobId(shop: string, eventKey: string): string {
  return `oscar-${createHash("sha256").update(`${shop}\n${eventKey}`).digest("hex").slice(0, 40)}`;
}

function describeIssues(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): string {
  // Paths and messages name fields, never values, so nothing the shopper wrote is echoed back.
  return issues
    .slice(0, 3)
    .map((issue) => `${issue.path.map(String).join(".") || "body"} ${issue.message.toLowerCase()}`)
    .join("; ");
}
