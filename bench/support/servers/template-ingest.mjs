// The template ingest: the app's own build served as the Shopify app template serves it
// (`remix-serve`: Express, compression, access log, static files, every request through Remix), so
// Oscar's deliveries reach the app's Remix route action (routes/webhooks.oscar.$ingestKey) and the
// same ingest service, without server.mjs's fast path. Bench-only: the shipped app never runs this.
import { createServer } from "node:http";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { createReadableStreamFromReadable, createRequestHandler, installGlobals, writeReadableStreamToWritable } from "@remix-run/node";
import compression from "compression";
import express from "express";
import morgan from "morgan";

installGlobals();
const build = await import(pathToFileURL(resolve("build/server/index.js")).href);
const handle = createRequestHandler(build, process.env.NODE_ENV);

// As @remix-run/express 2.17 (what remix-serve uses) turns Express's request into a Fetch Request.
function fetchRequest(req, res) {
  const url = new URL(`${req.protocol}://${req.get("host")}${req.originalUrl}`);
  const controller = new AbortController();
  res.on("close", () => controller.abort());
  const init = { method: req.method, headers: new Headers(Object.entries(req.headers).flatMap(([name, values]) => [values ?? []].flat().map((value) => [name, value]))), signal: controller.signal };
  if (req.method !== "GET" && req.method !== "HEAD") Object.assign(init, { body: createReadableStreamFromReadable(req), duplex: "half" });
  return new Request(url.href, init);
}

const app = express();
app.disable("x-powered-by");
app.use(compression());
app.use(build.publicPath, express.static(build.assetsBuildDirectory, { immutable: true, maxAge: "1y" }));
app.use(express.static("public", { maxAge: "1h" }));
// remix-serve logs every request to stdout with morgan("tiny"); the bench reads and drops the lines.
app.use(morgan("tiny"));
app.all("*", async (req, res, next) => {
  try {
    const response = await handle(fetchRequest(req, res));
    res.statusMessage = response.statusText;
    res.status(response.status);
    for (const [name, value] of response.headers.entries()) res.append(name, value);
    if (response.body) await writeReadableStreamToWritable(response.body, res);
    else res.end();
  } catch (error) {
    next(error);
  }
});

const server = createServer(app);
server.listen(0, "127.0.0.1", () => console.log(`listening ${server.address().port}`));
// The app's own SIGTERM handler closes Redis and the database, then waits for the server to close.
process.once("SIGTERM", () => {
  server.close();
  server.closeAllConnections();
  setTimeout(() => process.exit(0), 2_000).unref();
});
