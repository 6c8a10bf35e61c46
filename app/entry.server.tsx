import { PassThrough } from "node:stream";
import { renderToPipeableStream } from "react-dom/server";
import { RemixServer } from "@remix-run/react";
import { createReadableStreamFromReadable, type EntryContext } from "@remix-run/node";
import { isbot } from "isbot";
import { config } from "./config.server";
import { logger } from "./logger.instance.server";
import { addDocumentResponseHeaders } from "./shopify.server";
import { closeConnectionsOnShutdown } from "./shutdown.server";
import { BodyTooLargeError } from "./webhooks/read-body.server";

closeConnectionsOnShutdown();

// Exported for the production server's fast path (server.mjs), which reaches it through the build.
export { handleOscarWebhookFast } from "./webhooks/oscar-fast-path.server";
export { limitedRequestBody, refuseDeclaredOversize } from "./http/request-limits.server";
export { accessLogPath } from "./http/access-log.server";

export const streamTimeout = 5000;

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
) {
  addDocumentResponseHeaders(request, responseHeaders);
  // Outside the Shopify admin the preload of Shopify's App Bridge script can only fail.
  if (config().sandbox) responseHeaders.delete("Link");
  // Bots get the whole page at once; people get the shell as soon as it is ready.
  const callbackName = isbot(request.headers.get("user-agent") ?? "") ? "onAllReady" : "onShellReady";

  return new Promise((resolve, reject) => {
    const { pipe, abort } = renderToPipeableStream(<RemixServer context={remixContext} url={request.url} />, {
      [callbackName]: () => {
        const body = new PassThrough();
        responseHeaders.set("Content-Type", "text/html");
        resolve(new Response(createReadableStreamFromReadable(body), { headers: responseHeaders, status: responseStatusCode }));
        pipe(body);
      },
      onShellError(error) {
        reject(error);
      },
      onError(error) {
        responseStatusCode = 500;
        logger.error({ err: error }, "render failed");
      },
    });
    setTimeout(abort, streamTimeout + 1000);
  });
}

export function handleError(error: unknown, { request }: { request: Request }) {
  if (request.signal.aborted) return;
  // The server has already answered 413; the route's failed read is expected.
  if (error instanceof BodyTooLargeError) return;
  logger.error({ err: error, path: new URL(request.url).pathname }, "request failed");
}
