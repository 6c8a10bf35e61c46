/* eslint-disable no-console -- prints its readiness line for the parent process */
/**
 * The load balancer of the scale-out case: each request goes to the next web process in turn, as a
 * simple round-robin balancer in front of a fleet would send it. Runs as a process of its own so
 * it shares no event loop with the processes it feeds.
 *
 * Usage: tsx round-robin-proxy.ts <port> <upstream URL> [<upstream URL> ...]
 * `GET /_proxy/stats` answers how many requests each upstream took, and why any could not be forwarded.
 */
import { Agent, createServer, request } from "node:http";

const [port, ...upstreams] = process.argv.slice(2);
const targets = upstreams.map((u) => new URL(u));
if (!port || targets.length === 0) throw new Error("usage: round-robin-proxy.ts <port> <upstream> [<upstream> ...]");
const agent = new Agent({ keepAlive: true, maxSockets: 256 });
const served = targets.map(() => 0);
const failures: Record<string, number> = {};
let turn = 0;

const server = createServer((req, res) => {
  if (req.url === "/_proxy/stats") {
    res.writeHead(200, { "Content-Type": "application/json" });
    return void res.end(JSON.stringify({ upstreams: upstreams.map((url, i) => ({ url, requests: served[i] })), failures }));
  }
  const index = turn++ % targets.length;
  served[index]++;
  const target = targets[index];
  const forwarded = request(
    {
      host: target.hostname,
      port: target.port,
      method: req.method,
      path: req.url,
      // The Host header is kept: the app sees the public address, as behind a real balancer.
      headers: { ...req.headers, "x-forwarded-for": req.socket.remoteAddress ?? "" },
      agent,
    },
    (upstream) => {
      res.writeHead(upstream.statusCode ?? 502, upstream.headers);
      upstream.pipe(res);
    },
  );
  forwarded.on("error", (error: NodeJS.ErrnoException) => {
    failures[error.code ?? error.message] = (failures[error.code ?? error.message] ?? 0) + 1;
    if (!res.headersSent) res.writeHead(502, { "Content-Type": "text/plain" });
    res.end("upstream unavailable");
  });
  req.pipe(forwarded);
});
server.keepAliveTimeout = 30_000;
server.listen(Number(port), "127.0.0.1", () => console.log(`proxy ready on ${port} → ${upstreams.join(", ")}`));
