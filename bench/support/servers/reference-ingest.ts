// The reference ingest: a bare node:http server that checks the same HMAC and makes the same BullMQ
// add (the app's own producer and connection settings, same queue, same Redis), and nothing else.
// What the app's ingest costs beyond this is what its design adds; the bench bounds that share.
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";
import { Queue } from "bullmq";
import { QUEUES } from "../../../app/queues/jobs";
import { createProducerConnection } from "../../../app/queues/redis.server";

const secret = process.env.BENCH_WEBHOOK_SECRET!;
const shop = process.env.BENCH_SHOP!;
// The app's connection settings (auto-pipelining, fail fast) and job options (app/queues/producer.server.ts).
const queue = new Queue(QUEUES.oscarEvents, {
  connection: createProducerConnection(process.env.REDIS_URL!),
  prefix: process.env.REDIS_PREFIX!,
  defaultJobOptions: {
    attempts: 8,
    backoff: { type: "exponential", delay: 1_000 },
    removeOnComplete: { age: 24 * 3600, count: 10_000 },
    removeOnFail: { age: 30 * 24 * 3600, count: 10_000 },
  },
});

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", async () => {
    const body = Buffer.concat(chunks);
    const expected = createHmac("sha256", secret).update(body).digest();
    const given = Buffer.from(String(req.headers["x-oscar-signature"] ?? "").replace(/^sha256=/, ""), "hex");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return void res.writeHead(401).end();
    // The job id comes from the HMAC already computed, so the reference parses nothing.
    const eventKey = expected.toString("hex");
    const job = await queue.add(
      "oscar.event",
      { shop, eventKey, type: "conversation.resolved", receivedAt: Date.now(), sealedEvent: body.toString("base64") },
      { jobId: `ref-${eventKey.slice(0, 40)}` },
    );
    res.writeHead(202, { "Content-Type": "application/json" }).end(JSON.stringify({ accepted: true, job: job.id }));
  });
});
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  console.log(`listening ${typeof address === "object" && address ? address.port : 0}`);
});
// An exit rather than death by signal, so a CPU profile asked for with BENCH_CPU_PROF_DIR is written.
process.once("SIGTERM", () => process.exit(0));
