/**
 * The load generator, run as its own process so it does not share a core's event loop with the
 * server it measures. Prints one JSON line with autocannon's figures. With a rate, autocannon sends
 * each connection's share of a second in a burst when the second starts: fine for the reliability
 * suite's throughput over a minute, not for latency (bench/ingest.ts uses paced-load.ts for that).
 * Usage: tsx bench/support/load.ts <url> <seconds> <connections> <rate|0> [ingest-secret] [amount]
 * With an amount, it stops after that many requests (the seconds are then a ceiling).
 */
import autocannon from "autocannon";
import { signedOscarEvent } from "./signed-event";

const [url, seconds, connections, rate, secret, amount] = process.argv.slice(2);

const signedEvent = () => ({ method: "POST" as const, ...signedOscarEvent(secret) });

// Events are signed before the clock starts: on these shared cores, signing during the run would
// take CPU from the server being measured (it cost the generator ~30 µs a request: 97 → 69 µs).
// Past the pool's end (a longer run than expected), events are signed as they go.
const expected = Number(amount) > 0 ? Number(amount) : Number(seconds) * (Number(rate) > 0 ? Number(rate) * 1.1 : 8_000);
const signed = secret ? Array.from({ length: Math.ceil(expected) }, signedEvent) : [];
let nextSigned = 0;
const nextEvent = () => signed[nextSigned++] ?? signedEvent();

// Only the load's own CPU time, so a benchmark can tell what the generator cost per request.
const cpuBefore = process.cpuUsage();
const result = await autocannon({
  url,
  duration: Number(seconds),
  connections: Number(connections),
  ...(Number(rate) > 0 ? { overallRate: Number(rate) } : {}),
  ...(Number(amount) > 0 ? { amount: Number(amount) } : {}),
  method: "POST",
  body: "{}",
  requests: secret ? [{ setupRequest: (request: Record<string, unknown>) => ({ ...request, ...nextEvent() }) }] : undefined,
});
const cpu = process.cpuUsage(cpuBefore);
console.log(
  JSON.stringify({
    cpuMs: (cpu.user + cpu.system) / 1000,
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
