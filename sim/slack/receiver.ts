import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export type SlackDelivery = { path: string; body: { text?: string; blocks?: unknown[] }; at: number };

/**
 * A local stand-in for Slack's incoming webhooks: every POST is recorded and answered "ok" as Slack
 * does. `answerWith` makes it fail like a revoked URL (404 "no_service") or an outage (500).
 */
export async function startSlackReceiver({ port = 0 }: { port?: number } = {}) {
  const deliveries: SlackDelivery[] = [];
  let failure: { status: number; body: string } | null = null;
  const server = createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk) => (raw += chunk));
    req.on("end", () => {
      if (failure) {
        res.writeHead(failure.status, { "Content-Type": "text/plain" }).end(failure.body);
        return;
      }
      let body: SlackDelivery["body"] = {};
      try {
        body = JSON.parse(raw);
      } catch {
        res.writeHead(400, { "Content-Type": "text/plain" }).end("invalid_payload");
        return;
      }
      deliveries.push({ path: req.url ?? "/", body, at: Date.now() });
      res.writeHead(200, { "Content-Type": "text/plain" }).end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    /** A URL per alert kind, so a test can tell which channel got what. */
    webhookUrl: (channel: string) => `${url}/services/T000/${channel}`,
    deliveries,
    to: (channel: string) => deliveries.filter((d) => d.path.endsWith(`/${channel}`)),
    answerWith(status: number | null, body = "") {
      failure = status === null ? null : { status, body };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type SlackReceiver = Awaited<ReturnType<typeof startSlackReceiver>>;
