/**
 * The load generator, run as its own process so it does not share a core's event loop with the
 * server it measures. Prints one JSON line with autocannon's figures.
 * Usage: tsx bench/support/load.ts <url> <seconds> <connections> <rate|0> [ingest-secret] [amount]
 * With an amount, it stops after that many requests (the seconds are then a ceiling).
 */
import { createHmac, randomUUID } from "node:crypto";
import autocannon from "autocannon";

const [url, seconds, connections, rate, secret, amount] = process.argv.slice(2);

function signedEvent() {
  const body = JSON.stringify({
    id: `evt_${randomUUID()}`,
    type: "conversation.resolved",
    data: { conversation_id: `conv_load_${randomUUID()}` },
  });
  return {
    method: "POST" as const,
    body,
    headers: { "content-type": "application/json", "x-oscar-signature": `sha256=${createHmac("sha256", secret!).update(body).digest("hex")}` },
  };
}

const result = await autocannon({
  url,
  duration: Number(seconds),
  connections: Number(connections),
  ...(Number(rate) > 0 ? { overallRate: Number(rate) } : {}),
  ...(Number(amount) > 0 ? { amount: Number(amount) } : {}),
  method: "POST",
  body: "{}",
  requests: secret ? [{ setupRequest: (request: Record<string, unknown>) => ({ ...request, ...signedEvent() }) }] : undefined,
});
console.log(
  JSON.stringify({
    requests: result.requests.total,
    seconds: result.duration,
    sent: result.requests.sent,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, { count }]) => [code, count])),
  }),
);
