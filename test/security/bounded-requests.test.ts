/* eslint-disable no-console -- the test prints the memory and time figures it measured, for the report */
import { readFileSync } from "node:fs";
import { request } from "node:http";
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BROWSER_UA, TEST_SHOP } from "../harness/app-stack";
import { oscarWebhookTarget, startConnectedStack } from "../harness/oscar-webhook";

/**
 * A stranger can reach the webhook routes without any secret. What they send must cost the server a
 * bounded amount of memory and time: bodies are cut at the route's limit while being read, and a body
 * trickled in byte by byte is cut off by the request timeout.
 */

const MB = 1024 * 1024;
const UPLOAD_BYTES = 400 * MB;
/** The bound: a 400 MB upload took the process to 2 GB. */
const PEAK_RSS_BOUND_MB = 100;
/** The server's request timeout is 15 s, checked every second; the rest is room for a loaded 2-core machine. */
const TRICKLE_CUT_WITHIN_MS = 25_000;

const shopifyHeaders = {
  "Content-Type": "application/json",
  "X-Shopify-Hmac-Sha256": "bm90IGEgcmVhbCBzaWduYXR1cmU=",
  "X-Shopify-Topic": "orders/create",
  "X-Shopify-Shop-Domain": TEST_SHOP,
  "X-Shopify-Webhook-Id": "b0a4f1c2-0000-4000-8000-000000000001",
  "X-Shopify-API-Version": "2026-10",
};

function residentMb(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))![1];
  return Number(kb) / 1024;
}

/** The highest resident memory of a process while `work` runs, sampled every 20 ms. */
async function peakResidentMb<T>(pid: number, work: () => Promise<T>): Promise<{ peakMb: number; result: T }> {
  let peakMb = residentMb(pid);
  const timer = setInterval(() => (peakMb = Math.max(peakMb, residentMb(pid))), 20);
  try {
    const result = await work();
    peakMb = Math.max(peakMb, residentMb(pid));
    return { peakMb, result };
  } finally {
    clearInterval(timer);
  }
}

type UploadOutcome = { status: number | null; sentBytes: number };

/** Streams `totalBytes` of junk as fast as the server takes it, until it answers or hangs up. */
function streamUpload(url: string, headers: Record<string, string>, { totalBytes, declareLength }: { totalBytes: number; declareLength: boolean }): Promise<UploadOutcome> {
  const chunk = Buffer.alloc(MB, "x");
  return new Promise((resolve) => {
    let sentBytes = 0;
    let status: number | null = null;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      req.destroy();
      resolve({ status, sentBytes });
    };
    const req = request(url, {
      method: "POST",
      headers: declareLength ? { ...headers, "Content-Length": String(totalBytes) } : { ...headers, "Transfer-Encoding": "chunked" },
    });
    req.on("response", (response) => {
      status = response.statusCode ?? null;
      response.resume();
      response.on("end", finish);
    });
    req.on("error", finish);
    req.on("close", finish);
    const writeMore = () => {
      while (!done && sentBytes < totalBytes) {
        sentBytes += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", writeMore);
      }
      if (!done) req.end();
    };
    writeMore();
  });
}

/** Sends the head of a request promising 1000 bytes of body, then one byte every ten seconds. */
function trickle(url: string, headers: Record<string, string>): Promise<{ answer: string; elapsedMs: number }> {
  const { hostname, port, pathname } = new URL(url);
  return new Promise((resolve) => {
    const started = Date.now();
    let answer = "";
    const socket = connect(Number(port), hostname, () => {
      const head = Object.entries({ Host: `${hostname}:${port}`, ...headers, "Content-Length": "1000" }).map(([k, v]) => `${k}: ${v}`);
      socket.write(`POST ${pathname} HTTP/1.1\r\n${head.join("\r\n")}\r\n\r\n{`);
    });
    const timer = setInterval(() => socket.write(" "), 10_000);
    socket.on("data", (data) => (answer += data));
    socket.on("error", () => {});
    socket.on("close", () => {
      clearInterval(timer);
      resolve({ answer, elapsedMs: Date.now() - started });
    });
  });
}

describe("bounded work per request on the built server", () => {
  let env: Awaited<ReturnType<typeof startConnectedStack>>;
  let oscarIngestUrl: string;
  let pid: number;

  beforeAll(async () => {
    env = await startConnectedStack({ label: "bounded-requests", oscarKey: "osk_bounded_requests_key", worker: false });
    oscarIngestUrl = (await oscarWebhookTarget(env.stack.db, env.stack.appUrl, TEST_SHOP)).url;
    pid = env.stack.app.child.pid!;
  });
  afterAll(() => env?.close());

  const routes = () => [
    { route: "a Shopify webhook", url: `${env.stack.appUrl}/webhooks/orders/create`, headers: shopifyHeaders },
    { route: "the Oscar ingest", url: oscarIngestUrl, headers: { "Content-Type": "application/json", "x-oscar-signature": "t=1,v1=bogus" } },
  ];

  for (const [index, route] of ["a Shopify webhook", "the Oscar ingest"].entries()) {
    for (const declareLength of [false, true]) {
      it(`keeps memory bounded for a 400 MB upload with a bogus signature to ${route} (${declareLength ? "declared length" : "streamed, chunked"})`, async () => {
        const { url, headers } = routes()[index];
        const idleMb = residentMb(pid);
        const { peakMb, result } = await peakResidentMb(pid, () => streamUpload(url, headers, { totalBytes: UPLOAD_BYTES, declareLength }));
        console.log(`${route}, ${declareLength ? "declared" : "chunked"}: idle ${idleMb.toFixed(0)} MB, peak ${peakMb.toFixed(0)} MB, client sent ${(result.sentBytes / MB).toFixed(0)} MB, answer ${result.status ?? "connection closed"}`);
        expect(peakMb - idleMb).toBeLessThan(PEAK_RSS_BOUND_MB);
        // The server stopped reading at the limit: the client could not hand over the rest.
        expect(result.sentBytes).toBeLessThan(64 * MB);
        // The refusal is a clear answer, not a reset: the server lets the 413 through before it closes.
        expect(result.status).toBe(413);
      }, 60_000);
    }
  }

  it.concurrent.each([0, 1])("cuts off a body trickled one byte every ten seconds (route %i: Shopify webhook, Oscar ingest) with 408", async (index) => {
    const { url, headers } = routes()[index];
    const { answer, elapsedMs } = await trickle(url, headers);
    console.log(`${routes()[index].route}: trickled body cut after ${(elapsedMs / 1000).toFixed(1)} s`);
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(elapsedMs).toBeLessThan(TRICKLE_CUT_WITHIN_MS);
  }, 40_000);

  it("refuses an admin form post over 128 kB at once, by its declared length", async () => {
    const response = await fetch(`${env.stack.appUrl}/app/settings`, {
      method: "POST",
      headers: { "User-Agent": BROWSER_UA, "Content-Type": "application/x-www-form-urlencoded" },
      body: `rules=${"x".repeat(200 * 1024)}`,
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ error: "The request body is larger than 131072 bytes." });
  });
});
