// The reference worker: a bare BullMQ worker on the app's oscar-events queue that does what a stored
// conversation.resolved event must cost, and nothing else: open the sealed event (the same AES-GCM,
// same keyring) and record the resolution (the app's own one write, claimMilestone). Same Redis,
// database and worker options (app/queues/worker-options.server.ts) as the app's worker, and the
// same loader (node --import tsx). What the app's worker costs beyond this is what its design adds
// (the conversation lock, the event-received marker, the Flow trigger check, validation, logging).
import { Worker } from "bullmq";
import { config } from "../../../app/config.server";
import { createPrismaClient } from "../../../app/db/client.server";
import { claimMilestone } from "../../../app/models/conversation-record.server";
import { QUEUES } from "../../../app/queues/jobs";
import { workerOptions } from "../../../app/queues/worker-options.server";
import { decryptSecret, SECRET_FIELDS } from "../../../app/security/encryption.server";

const settings = config();
const db = createPrismaClient(settings.databaseUrl, { poolSize: settings.databasePoolSize });

const worker = new Worker(
  QUEUES.oscarEvents,
  async (job) => {
    const { shop, sealedEvent } = job.data as { shop: string; sealedEvent: string };
    const event = JSON.parse(decryptSecret(settings.encryption, sealedEvent, { shop, field: SECRET_FIELDS.oscarEvent })) as { data: { conversation_id: string } };
    await claimMilestone(db, shop, event.data.conversation_id, "resolvedAt", new Date());
  },
  workerOptions(settings),
);
worker.on("error", (error) => console.error(`reference worker: ${error.message}`));
await worker.waitUntilReady();
console.log("reference worker ready");

process.once("SIGTERM", () => {
  void worker.close().then(() => db.$disconnect()).then(() => process.exit(0));
});
