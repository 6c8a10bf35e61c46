import type { PrismaClient } from "@prisma/client";
import { Queue } from "bullmq";
import { decryptSecret, parseKeyring, SECRET_FIELDS } from "../../app/security/encryption.server";
import { signOscarPayload } from "../../app/webhooks/oscar-signature.server";
import { TEST_ENCRYPTION_KEYS, type AppStack } from "./app-stack";

/** The shop's ingest URL and webhook secret, as Oscar knows them after the shop connected. */
export async function oscarWebhookTarget(db: PrismaClient, appUrl: string, shop: string) {
  const connection = await db.oscarConnection.findUniqueOrThrow({ where: { shop } });
  return {
    url: `${appUrl}/webhooks/oscar/${connection.ingestKey}`,
    secret: decryptSecret(parseKeyring(TEST_ENCRYPTION_KEYS), connection.webhookSecretCiphertext!, { shop, field: SECRET_FIELDS.oscarWebhookSecret }),
  };
}

/** Delivers a body to the ingest route as Oscar would, signed with `secret` unless a signature is given. */
export function deliverOscarEvent(url: string, body: string, { secret, signature }: { secret?: string; signature?: string | null }) {
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  const sig = signature === undefined ? signOscarPayload(body, secret!) : signature;
  if (sig !== null) headers["x-oscar-signature"] = sig;
  return fetch(url, { method: "POST", headers, body });
}

/** How many Oscar event jobs exist in any state (the proof that ingest stored, or did not store, an event). */
export async function oscarEventJobCount(stack: AppStack): Promise<number> {
  const queue = new Queue("oscar-events", { connection: { url: stack.env.REDIS_URL }, prefix: stack.env.REDIS_PREFIX });
  try {
    const counts = await queue.getJobCounts("waiting", "active", "completed", "failed", "delayed", "prioritized");
    return Object.values(counts).reduce((a, b) => a + b, 0);
  } finally {
    await queue.close();
  }
}

/** Connects the shop to the Oscar simulator the way the settings page does (verify, register webhook, store). */
export async function connectShopToOscar(stack: AppStack, oscarBaseUrl: string, apiKey: string, shop: string) {
  const { Redis } = await import("ioredis");
  const { createLogger } = await import("../../app/logger.server");
  const { createOscarClient } = await import("../../app/oscar/client.server");
  const { createOscarRateLimiter } = await import("../../app/oscar/rate-limit.server");
  const { connectOscar } = await import("../../app/services/oscar-connection.server");
  const redis = new Redis(stack.env.REDIS_URL);
  const logger = createLogger({ level: "silent" });
  try {
    return await connectOscar(
      {
        db: stack.db,
        keyring: parseKeyring(TEST_ENCRYPTION_KEYS),
        appUrl: stack.appUrl,
        logger,
        oscarWithKey: (key) =>
          createOscarClient({ baseUrl: oscarBaseUrl, apiKey: key, logger, limiter: createOscarRateLimiter({ redis, prefix: `${stack.env.REDIS_PREFIX}:oscar-rate:` }) }),
      },
      shop,
      apiKey,
    );
  } finally {
    redis.disconnect();
  }
}

/**
 * The common stage of an end-to-end test: the Oscar simulator, the app (built, real processes) on a
 * fresh database, the test shop installed and connected to Oscar, and optionally a worker.
 */
export async function startConnectedStack({ label, oscarKey, worker = true, extraEnv = {}, oscarOptions = {}, store, otherShops = [] }: {
  label: string;
  oscarKey: string;
  worker?: boolean;
  extraEnv?: Record<string, string>;
  oscarOptions?: Parameters<typeof import("../../sim/oscar/server").startOscarSimulator>[0];
  store?: Parameters<typeof import("./app-stack").startAppStack>[0]["store"];
  /** More shops with a store in the fake Admin API, installed but not connected to Oscar. */
  otherShops?: string[];
}) {
  const { startOscarSimulator } = await import("../../sim/oscar/server");
  const { installShop, startAppStack, TEST_SHOP } = await import("./app-stack");
  const oscar = await startOscarSimulator({ apiKeys: [oscarKey], ...oscarOptions });
  const stack = await startAppStack({ label, store, shops: [TEST_SHOP, ...otherShops], extraEnv: { OSCAR_API_BASE: oscar.baseUrl, ...extraEnv } });
  await installShop(stack);
  for (const shop of otherShops) await installShop(stack, shop);
  await connectShopToOscar(stack, oscar.baseUrl, oscarKey, TEST_SHOP);
  if (worker) await stack.startWorker();
  return {
    oscar,
    stack,
    async close() {
      await stack.close();
      await oscar.close();
    },
  };
}
