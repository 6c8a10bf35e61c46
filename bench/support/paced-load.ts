/**
 * An open-loop load at a fixed rate: request i is due at start + i/rate and goes out on a free
 * keep-alive connection (up to <connections>); its latency runs from when it was *due*, not from when
 * it went out, so a generator or server that falls behind is charged for it (coordinated omission).
 * Prints one JSON line in load.ts's shape.
 *
 * Why not autocannon for this: its `overallRate` lets each connection send its share of a second
 * back to back as soon as the second starts (1,000 req/s over 50 connections = 50 connections each
 * firing 20 requests at full speed, then idle), so a "fixed-rate" run is a burst at maximum load
 * every second; and its correction for coordinated omission assumes one request every 1 ms on each
 * connection (`Math.ceil(1 / rate)` with the rate in requests a second), so every response slower
 * than 1 ms adds one made-up sample per millisecond it took.
 *
 * The generator's own pauses would count against the server, so before the clock starts it warms
 * up (1 s at the rate, not counted: sockets open, code compiled) and collects its garbage (run it
 * with --expose-gc), and it runs with a young generation large enough that its few minor
 * collections are short.
 *
 * Usage: node --expose-gc --max-semi-space-size=64 --import tsx bench/support/paced-load.ts <url> <seconds> <connections> <rate> [ingest-secret]
 */
import { connect, type Socket } from "node:net";
import { performance } from "node:perf_hooks";
import { signedOscarEvent } from "./signed-event";

const [url, seconds, connections, rate, secret] = process.argv.slice(2);
const intervalMs = 1000 / Number(rate);
const warmUp = Math.round(Number(rate));
const total = Math.round(Number(seconds) * Number(rate));

function signedEvent() {
  const { body, headers } = signedOscarEvent(secret);
  return { body, headers: { ...headers, "content-length": String(Buffer.byteLength(body)) } };
}
// Signed before the clock starts, as in load.ts: signing during the run would take CPU from the server.
const events = Array.from({ length: warmUp + total }, signedEvent);

const target = new URL(url!);
const requestHead = (event: { headers: Record<string, string> }) =>
  `POST ${target.pathname}${target.search} HTTP/1.1\r\nhost: ${target.host}\r\n${Object.entries(event.headers).map(([name, value]) => `${name}: ${value}\r\n`).join("")}\r\n`;
// Whole requests as bytes, built before the clock starts.
const wire = events.map((event) => Buffer.from(requestHead(event) + event.body));

type Tally = { latencies: Float64Array; answered: number; sent: number; non2xx: number; errors: number; timeouts: number };
type Outcome = { statusCode: number } | { error: "error" | "timeout" };

/**
 * A keep-alive connection that carries one request at a time. Raw sockets rather than node:http's
 * client, which cost ~280 µs of CPU a request here (on the cores the server under test runs on);
 * the servers measured answer with a Content-Length or a chunked body, the two framings read here.
 */
class Connection {
  private pending: ((outcome: Outcome) => void) | null = null;
  private received: Buffer = Buffer.alloc(0);
  private timer: NodeJS.Timeout | null = null;
  closed = false;
  readonly socket: Socket;

  constructor() {
    this.socket = connect(Number(target.port || 80), target.hostname);
    this.socket.setNoDelay(true);
    this.socket.on("data", (chunk: Buffer) => this.read(chunk));
    this.socket.on("error", () => this.close("error"));
    this.socket.on("close", () => this.close("error"));
  }

  get busy() {
    return this.pending !== null;
  }

  send(bytes: Buffer, done: (outcome: Outcome) => void) {
    this.pending = done;
    this.timer = setTimeout(() => this.close("timeout"), 10_000);
    this.socket.write(bytes);
  }

  private read(chunk: Buffer) {
    this.received = this.received.length ? Buffer.concat([this.received, chunk]) : chunk;
    const headEnd = this.received.indexOf("\r\n\r\n");
    if (headEnd < 0) return;
    const head = this.received.toString("latin1", 0, headEnd);
    const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    const bodyStart = headEnd + 4;
    const complete = length
      ? this.received.length >= bodyStart + Number(length[1])
      : /\r\ntransfer-encoding:\s*chunked/i.test(head) && this.received.indexOf("0\r\n\r\n", bodyStart) >= 0;
    if (!complete) return;
    this.received = Buffer.alloc(0);
    this.settle({ statusCode: Number(head.slice(9, 12)) });
  }

  private settle(outcome: Outcome) {
    if (this.timer) clearTimeout(this.timer);
    const done = this.pending;
    this.pending = null;
    done?.(outcome);
  }

  close(error: "error" | "timeout") {
    if (!this.closed) {
      this.closed = true;
      this.socket.destroy();
    }
    this.settle({ error });
  }
}

const pool: Connection[] = [];
/** A free open connection, or a new one while under the limit; null when all are busy. */
function freeConnection(): Connection | null {
  for (let i = pool.length - 1; i >= 0; i--) if (pool[i]!.closed) pool.splice(i, 1);
  const free = pool.find((connection) => !connection.busy);
  if (free) return free;
  if (pool.length >= Number(connections)) return null;
  const fresh = new Connection();
  pool.push(fresh);
  return fresh;
}

/** Sends `count` requests at the rate, from wire[offset]; resolves when every one is answered or failed. */
function paced(count: number, offset: number): Promise<Tally> {
  const tally: Tally = { latencies: new Float64Array(count), answered: 0, sent: 0, non2xx: 0, errors: 0, timeouts: 0 };
  const start = performance.now();
  const waiting: number[] = [];
  return new Promise((resolve) => {
    let settled = 0;
    const send = (i: number, connection: Connection) => {
      const due = start + i * intervalMs;
      connection.send(wire[offset + i]!, (outcome) => {
        if ("statusCode" in outcome) {
          tally.latencies[tally.answered++] = performance.now() - due;
          if (outcome.statusCode < 200 || outcome.statusCode >= 300) tally.non2xx++;
        } else if (outcome.error === "timeout") tally.timeouts++;
        else tally.errors++;
        if (++settled === count) return resolve(tally);
        // A request that came due while every connection was busy goes out on the one just freed.
        const next = waiting.shift();
        if (next !== undefined) {
          const free = freeConnection();
          if (free) send(next, free);
          else waiting.unshift(next);
        }
      });
    };
    // Each tick sends every request that has come due; a late tick sends its backlog at once, and
    // those requests' latencies include how late it was.
    const tick = () => {
      const due = Math.min(count, Math.floor((performance.now() - start) / intervalMs) + 1);
      while (tally.sent < due) {
        const i = tally.sent++;
        const connection = waiting.length ? null : freeConnection();
        if (connection) send(i, connection);
        else waiting.push(i);
      }
      if (tally.sent < count) setTimeout(tick, Math.max(0, start + tally.sent * intervalMs - performance.now()));
    };
    tick();
  });
}

const warm = await paced(warmUp, 0);
(globalThis as { gc?: () => void }).gc?.();
const cpuBefore = process.cpuUsage();
const started = performance.now();
const tally = await paced(total, warmUp);
const elapsed = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
for (const connection of pool) connection.socket.destroy();

const sorted = tally.latencies.slice(0, tally.answered).sort();
const at = (q: number) => (sorted.length ? Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]! * 10) / 10 : 0);
console.log(
  JSON.stringify({
    cpuMs: (cpu.user + cpu.system) / 1000,
    // The warm-up's requests count in what was sent and answered (the bench matches those against the
    // jobs stored), not in the rate or the latencies.
    requests: warm.answered + tally.answered,
    seconds: elapsed,
    sent: warm.sent + tally.sent,
    rps: tally.answered / elapsed,
    p50: at(0.5),
    p99: at(0.99),
    max: at(1),
    non2xx: warm.non2xx + tally.non2xx,
    errors: warm.errors + tally.errors,
    timeouts: warm.timeouts + tally.timeouts,
  }),
);
