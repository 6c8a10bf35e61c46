import type { IncomingMessage, ServerResponse } from "node:http";
import { config } from "../config.server";
import prisma from "../db.server";
import { logger } from "../logger.instance.server";
import { findConnectionByIngestKey } from "../models/oscar-connection.server";
import { createFairShare } from "../queues/fair-share.server";
import { producer, producerRedis } from "../queues/index.server";
import { cachedIngestTargets, ingestOscarDelivery, type OscarIngestDeps } from "../services/oscar-ingest.server";
import { createUnexpectedOscarEvents } from "../services/unexpected-oscar-events.server";
import { OSCAR_SIGNATURE_HEADER } from "./oscar-signature.server";
import { BodyTooLargeError } from "./read-body.server";
import { lingerBeforeClosing } from "../http/request-limits.server";

/** What the ingest service needs in this process (one cache of ingest keys, shared with the Remix route). */
export const oscarIngestDeps: OscarIngestDeps = {
  findIngestTarget: cachedIngestTargets((key) => findConnectionByIngestKey(prisma, key), config().encryption),
  producer,
  fairShare: createFairShare(),
  unexpectedEvents: createUnexpectedOscarEvents({ redis: producerRedis, prefix: `${config().redis.prefix}:`, keyring: config().encryption }),
  keyring: config().encryption,
  logger,
};

/** Past the limit it stops reading; the 413 closes the connection, so the rest is never read. */
function readNodeBody(req: IncomingMessage, limitBytes: number): Promise<Uint8Array> {
  if (Number(req.headers["content-length"] ?? 0) > limitBytes) {
    return Promise.reject(new BodyTooLargeError(`The body is larger than ${limitBytes} bytes.`));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limitBytes) {
        req.removeAllListeners("data");
        req.pause();
        reject(new BodyTooLargeError(`The body is larger than ${limitBytes} bytes.`));
      } else chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/**
 * Oscar's deliveries straight from Node's HTTP server, skipping Remix's routing, compression and the
 * access log: the same service as the Remix route, at a fraction of the cost per request. The
 * production server (server.mjs) sends `POST /webhooks/oscar/<key>` here.
 */
export async function handleOscarWebhookFast(req: IncomingMessage, res: ServerResponse, ingestKey: string): Promise<void> {
  try {
    const result = await ingestOscarDelivery(
      oscarIngestDeps,
      { ingestKey, signature: req.headers[OSCAR_SIGNATURE_HEADER] as string | undefined, readBody: (limit) => readNodeBody(req, limit) },
    );
    // An unread body must not be drained: closing the connection is cheaper than reading it.
    const tooLarge = result.status === 413;
    if (tooLarge) lingerBeforeClosing(req.socket);
    const headers = tooLarge ? { ...result.headers, Connection: "close" } : result.headers;
    res.writeHead(result.status, headers).end(JSON.stringify(result.body));
  } catch (error) {
    // A client that hung up (or was cut off by the request timeout) is not the app failing.
    if (req.destroyed && res.destroyed) return;
    logger.error({ err: error }, "Oscar webhook failed");
    if (!res.headersSent) res.writeHead(500, { "Content-Type": "application/json" }).end('{"error":"The event could not be handled."}');
  }
}
