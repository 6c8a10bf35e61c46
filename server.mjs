// The production web server (`npm start`): the built Remix app behind Express, as remix-serve runs
// it, plus a fast path that answers Oscar's webhooks before Express and Remix see them.
import { createServer } from "node:http";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import { installGlobals } from "@remix-run/node";
import compression from "compression";
import express from "express";
import morgan from "morgan";

// `npm start` is production unless told otherwise; the app's configuration makes the same choice.
process.env.NODE_ENV ||= "production";
installGlobals();

const build = await import(pathToFileURL(resolve("build/server/index.js")).href);
const handleOscarWebhookFast = build.entry.module.handleOscarWebhookFast;
const OSCAR_WEBHOOK_PATH = /^\/webhooks\/oscar\/([^/?#]+)\/?(?:\?.*)?$/;
const decodePathSegment = (segment) => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment; // not a valid ingest key either way: the ingest service answers 404
  }
};

const app = express();
app.disable("x-powered-by");
app.use(compression());
app.use(build.publicPath, express.static(build.assetsBuildDirectory, { immutable: true, maxAge: "1y" }));
app.use(express.static("public", { maxAge: "1h" }));
// The access log leaves out query strings: embedded admin URLs carry session tokens (id_token).
morgan.token("path-only", (req) => req.path);
app.use(morgan(":method :path-only :status :response-time ms"));
app.all("*", createRequestHandler({ build, mode: process.env.NODE_ENV }));

const server = createServer((req, res) => {
  const match = req.method === "POST" ? OSCAR_WEBHOOK_PATH.exec(req.url ?? "") : null;
  // A malformed escape (%ff) must not throw out of the request handler: it would end the process.
  if (match) return void handleOscarWebhookFast(req, res, decodePathSegment(match[1]));
  app(req, res);
});

// Behind a load balancer that keeps idle connections open (an ALB's default is 60 s), Node's 5 s
// keep-alive would close sockets the balancer is about to reuse, and each such race is a 502.
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;

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
