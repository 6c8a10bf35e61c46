// The production web server (`npm start`): the built Remix app behind Express, as remix-serve runs
// it, plus a fast path that answers Oscar's webhooks before Express and Remix see them.
import { createServer } from "node:http";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { createRequestHandler, installGlobals, writeReadableStreamToWritable } from "@remix-run/node";
import compression from "compression";
import express from "express";
import morgan from "morgan";

// `npm start` is production unless told otherwise; the app's configuration makes the same choice.
process.env.NODE_ENV ||= "production";
installGlobals();

const build = await import(pathToFileURL(resolve("build/server/index.js")).href);
const { handleOscarWebhookFast, limitedRequestBody, refuseDeclaredOversize, accessLogPath } = build.entry.module;
const OSCAR_WEBHOOK_PATH = /^\/webhooks\/oscar\/([^/?#]+)\/?(?:\?.*)?$/;
const decodePathSegment = (segment) => {
  // Ingest keys are base64url, so nearly every delivery has nothing to decode.
  if (!segment.includes("%")) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment; // not a valid ingest key either way: the ingest service answers 404
  }
};

// As @remix-run/express (2.17) builds the request and sends the answer, except that the body is read
// through the route's limit; the package exports only its whole handler, so the two steps are here.
function remixRequest(req, res) {
  const portOf = (host) => Number.parseInt(host?.split(":")[1] ?? "", 10);
  const port = [portOf(req.get("X-Forwarded-Host")), portOf(req.get("host"))].find(Number.isSafeInteger);
  const url = new URL(`${req.protocol}://${req.hostname}${port ? `:${port}` : ""}${req.originalUrl}`);
  const controller = new AbortController();
  res.on("close", () => res.writableFinished || controller.abort());
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  return new Request(url.href, {
    method: req.method,
    headers: new Headers(Object.entries(req.headers).flatMap(([name, values]) => [values ?? []].flat().map((value) => [name, value]))),
    signal: controller.signal,
    ...(hasBody ? { body: limitedRequestBody(req, res), duplex: "half" } : {}),
  });
}

async function sendRemixResponse(res, response) {
  res.statusMessage = response.statusText;
  res.status(response.status);
  for (const [name, value] of response.headers.entries()) res.append(name, value);
  if (/text\/event-stream/i.test(response.headers.get("Content-Type") ?? "")) res.flushHeaders();
  if (response.body) await writeReadableStreamToWritable(response.body, res);
  else res.end();
}

const handleRemixRequest = createRequestHandler(build, process.env.NODE_ENV);

const app = express();
app.disable("x-powered-by");
app.use(compression());
app.use(build.publicPath, express.static(build.assetsBuildDirectory, { immutable: true, maxAge: "1y" }));
app.use(express.static("public", { maxAge: "1h" }));
// The access log leaves out query strings (embedded admin URLs carry session tokens, id_token) and
// masks Oscar's ingest key.
morgan.token("path-only", (req) => accessLogPath(req.path));
app.use(morgan(":method :path-only :status :response-time ms"));
app.all("*", async (req, res, next) => {
  try {
    // The socket's address reaches loaders as context.remoteAddress: the app proxy's rate limit falls
    // back to it when a request carries no X-Forwarded-For.
    const response = await handleRemixRequest(remixRequest(req, res), { remoteAddress: req.socket.remoteAddress });
    // Already answered: the body was over the route's limit (413).
    if (res.headersSent) return void response.body?.cancel();
    await sendRemixResponse(res, response);
  } catch (error) {
    if (res.headersSent) return;
    next(error);
  }
});

const server = createServer({
  // Headers must arrive within 10 s and the whole request within 15 s, or the answer is 408 and the
  // connection closes: a body trickled byte by byte cannot hold a connection. Shopify and Oscar send
  // webhooks in well under their own 5 s timeouts; admin form posts are a few kB.
  headersTimeout: 10_000,
  requestTimeout: 15_000,
  // How often those deadlines are checked (Node's default, 30 s, would double the 15 s).
  connectionsCheckingInterval: 1_000,
}, (req, res) => {
  // A declared length over the route's limit is refused before a byte of the body is read.
  if (refuseDeclaredOversize(req, res)) return;
  const match = req.method === "POST" ? OSCAR_WEBHOOK_PATH.exec(req.url ?? "") : null;
  // A malformed escape (%ff) must not throw out of the request handler: it would end the process.
  if (match) return void handleOscarWebhookFast(req, res, decodePathSegment(match[1]));
  app(req, res);
});

// Behind a load balancer that keeps idle connections open (an ALB's default is 60 s), Node's 5 s
// keep-alive would close sockets the balancer is about to reuse, and each such race is a 502.
// (Since Node 18 the headers and request timeouts run from a request's first byte, not from when
// the idle connection opened, so they no longer need to exceed this.)
server.keepAliveTimeout = 65_000;

const port = Number(process.env.PORT || 3000);
const host = process.env.HOST || "0.0.0.0";
server.listen(port, host, () => console.log(`[oscar-chat] http://${host === "0.0.0.0" ? "localhost" : host}:${port}`));

// Stop taking connections on SIGTERM; the app closes Redis and the database after a short drain.
// A keep-alive socket that finishes its request after this would stay open for keepAliveTimeout
// (65 s) and hold the process, so idle sockets are closed as they become idle, and all after 10 s.
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.once(signal, () => {
    server.close();
    server.closeIdleConnections();
    setInterval(() => server.closeIdleConnections(), 200).unref();
    setTimeout(() => server.closeAllConnections(), 10_000).unref();
  });
}
