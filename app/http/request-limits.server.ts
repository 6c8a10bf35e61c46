import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { MAX_OSCAR_WEBHOOK_BYTES } from "../services/oscar-ingest.server";
import { BodyTooLargeError } from "../webhooks/read-body.server";

/**
 * How many body bytes each route may receive, enforced by the production server (server.mjs) before
 * and while reading, so an oversized or endless body costs at most the limit in memory.
 */

/**
 * Shopify's webhooks carry whole orders and products: Shopify staff write that some bodies are
 * "upwards of a megabyte" (community.shopify.com/c/Shopify-APIs-SDKs/Webhook-requests-exceed-max-size/m-p/144434),
 * and its EventBridge deliveries cap at 1,000,000 bytes (shopify.dev/changelog/amazon-eventbridge-webhook-payload-size-limit-increased-to-1-mb).
 * 5 MB leaves room for an order with hundreds of line items; a refused delivery would be retried, then lost.
 */
export const MAX_SHOPIFY_WEBHOOK_BYTES = 5 * 1024 * 1024;

/** Admin form posts, the app proxy and everything else carry a few settings or ids. */
export const MAX_OTHER_BODY_BYTES = 128 * 1024;

export function requestBodyLimit(path: string): number {
  if (path.startsWith("/webhooks/oscar/")) return MAX_OSCAR_WEBHOOK_BYTES;
  if (path.startsWith("/webhooks/")) return MAX_SHOPIFY_WEBHOOK_BYTES;
  return MAX_OTHER_BODY_BYTES;
}

/**
 * Answers 413 and closes the connection, so Node never reads (or drains) the rest of the body.
 * Returns false when a response had already begun.
 */
export function refuseOversizedBody(res: ServerResponse, limitBytes: number): boolean {
  if (res.headersSent) return false;
  if (res.socket) lingerBeforeClosing(res.socket);
  // JSON like the webhook routes' other refusals ({"error": sentence}).
  res.writeHead(413, { "Content-Type": "application/json; charset=utf-8", Connection: "close" });
  res.end(JSON.stringify({ error: `The request body is larger than ${limitBytes} bytes.` }));
  return true;
}

/** How long a refused connection stays open, reading nothing more, before it is closed. */
const LINGER_MS = 2_000;

/**
 * Node closes a "Connection: close" socket as soon as the answer is written; with body bytes still
 * unread, that close is a reset, which can reach the client before it has read the 413. Sending the
 * end of the answer and closing a moment later lets the sentence through; nothing more is read.
 */
export function lingerBeforeClosing(socket: Socket): void {
  socket.destroySoon = function destroyAfterLinger(this: Socket) {
    this.end();
    setTimeout(() => this.destroy(), LINGER_MS).unref();
  };
}

/** Refuses at once, unread, a body whose declared length is over the route's limit. */
export function refuseDeclaredOversize(req: IncomingMessage, res: ServerResponse): boolean {
  const declared = Number(req.headers["content-length"] ?? 0);
  // Within every route's limit, which route it is does not matter: parsing the URL to find out cost
  // ingest a measurable share of its CPU per request (bench/ingest.ts, --cpu-prof).
  if (!(declared > SMALLEST_BODY_LIMIT)) return false;
  const limitBytes = requestBodyLimit(pathOf(req));
  return declared > limitBytes && refuseOversizedBody(res, limitBytes);
}

const SMALLEST_BODY_LIMIT = Math.min(MAX_OSCAR_WEBHOOK_BYTES, MAX_SHOPIFY_WEBHOOK_BYTES, MAX_OTHER_BODY_BYTES);

/**
 * The request's body as a web stream for Remix that reads only as fast as the route consumes it and
 * stops at the route's limit: past it the client gets 413 and the route's read fails.
 */
export function limitedRequestBody(req: IncomingMessage, res: ServerResponse): ReadableStream<Uint8Array> {
  const limitBytes = requestBodyLimit(pathOf(req));
  let received = 0;
  let finished = false;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      const fail = (error: Error) => {
        if (finished) return;
        finished = true;
        controller.error(error);
      };
      req.on("data", (chunk: Buffer) => {
        if (finished) return;
        received += chunk.byteLength;
        if (received > limitBytes) {
          req.pause();
          refuseOversizedBody(res, limitBytes);
          return fail(new BodyTooLargeError(`The body is larger than ${limitBytes} bytes.`));
        }
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        // Backpressure: read the next chunk when Remix asks for it (pull), not before.
        if ((controller.desiredSize ?? 0) <= 0) req.pause();
      });
      req.once("end", () => {
        if (finished) return;
        finished = true;
        controller.close();
      });
      req.once("error", fail);
    },
    pull() {
      if (!finished) req.resume();
    },
    cancel() {
      finished = true;
      req.pause();
    },
  });
}

/** The path as Remix will route it (dot segments resolved), so a limit always matches the route. */
function pathOf(req: IncomingMessage): string {
  try {
    return new URL(req.url ?? "/", "http://app.invalid").pathname;
  } catch {
    return "/";
  }
}
