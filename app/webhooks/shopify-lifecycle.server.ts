import { shopifyApi } from "@shopify/shopify-api";
import type { z } from "zod";
import { config } from "../config.server";
import prisma from "../db.server";
import { logger } from "../logger.instance.server";
import { createOscarClient } from "../oscar/client.server";
import { createOscarRateLimiter } from "../oscar/rate-limit.server";
import { producerRedis } from "../queues/index.server";
import { createJobRemoval } from "../queues/job-removal.server";
import { whenReady } from "../queues/redis.server";
import type { ComplianceDeps } from "../services/compliance.server";
import { createDataExportStore, type DataExportStore } from "../services/data-exports.server";
import { disconnectOscar } from "../services/oscar-connection.server";
import type { UninstallDeps } from "../services/uninstall.server";
import { apiVersion, authenticate } from "../shopify.server";
import { createShopifyDeliveries, DeliveryNotFinishedError, duplicateMarker, type ShopifyDeliveries } from "./shopify-deliveries.server";
import { createWebhookVerifier, type VerifiedShopifyWebhook } from "./shopify-webhook-auth.server";

/**
 * What the Shopify lifecycle and privacy webhooks run with in the web process, built once: the
 * producer's Redis connection, the app's queues, and an Oscar client for removing a shop's webhook.
 */

// Shopify waits 5 s for an answer: removing the Oscar webhook gets a short, single-retry budget.
const OSCAR_CLEANUP = { timeoutMs: 2_000, retry: { maxAttempts: 2, maxTotalMs: 3_000 } };

type Lifecycle = {
  deliveries: ShopifyDeliveries;
  uninstall: UninstallDeps;
  compliance: ComplianceDeps;
  exports: DataExportStore;
  verify: (request: Request) => Promise<VerifiedShopifyWebhook>;
};

function setup(): Lifecycle {
  const settings = config();
  const keyring = settings.encryption;
  const redis = producerRedis;
  const prefix = `${settings.redis.prefix}:`;
  const jobs = createJobRemoval({ connection: redis, prefix: settings.redis.prefix });
  // The worker's limiter prefix: uninstall's calls count against the same per-key budget.
  const limiter = createOscarRateLimiter({ redis, prefix: `${prefix}oscar-rate:` });
  const oscarWithKey = (apiKey: string) => createOscarClient({ baseUrl: settings.oscarApiBase, apiKey, limiter, logger, ...OSCAR_CLEANUP });
  const disconnect = (shop: string) => disconnectOscar({ db: prisma, keyring, oscarWithKey, appUrl: settings.shopify.appUrl, logger }, shop);
  const exports = createDataExportStore({ redis, prefix, keyring });
  // Only its webhook validator is used (see shopify-webhook-auth.server.ts).
  const api = shopifyApi({
    apiKey: settings.shopify.apiKey,
    apiSecretKey: settings.shopify.apiSecret,
    hostName: new URL(settings.shopify.appUrl).host,
    apiVersion,
    isEmbeddedApp: true,
    logger: { level: 0 },
  });
  return {
    deliveries: createShopifyDeliveries({ redis, prefix }),
    uninstall: { db: prisma, redis, prefix, jobs, disconnectOscar: disconnect, logger },
    compliance: { db: prisma, redis, prefix, keyring, jobs, exports, disconnectOscar: disconnect, logger },
    exports,
    verify: createWebhookVerifier({ authenticateWebhook: authenticate.webhook, validateWebhook: api.webhooks.validate }),
  };
}

declare global {
  var shopifyLifecycleGlobal: Lifecycle | undefined;
}

/** Built on first use (kept across Vite reloads in development). */
export function lifecycle(): Lifecycle {
  global.shopifyLifecycleGlobal ??= setup();
  return global.shopifyLifecycleGlobal;
}

/** Verifies a Shopify webhook through the library; see createWebhookVerifier for the expired-token case. */
export const verifyShopifyWebhook = (request: Request) => lifecycle().verify(request);

const answer = (status: number, message?: string) =>
  new Response(message ?? null, { status, headers: message ? { "Content-Type": "text/plain; charset=utf-8" } : {} });

/**
 * Runs a verified delivery's work once per Shopify event and answers Shopify: 2xx when done (or done
 * before, or never doable: a body that is not JSON), anything else makes Shopify deliver it again.
 * The payload is checked first, and a shop it names must be the shop the headers name: the HMAC
 * covers the body, not the headers.
 */
export async function answerShopifyWebhook<S extends z.ZodType>(
  webhook: VerifiedShopifyWebhook,
  schema: S,
  work: (payload: z.output<S>) => Promise<unknown>,
): Promise<Response> {
  const { shop, topic } = webhook;
  if (!webhook.bodyIsJson) {
    // Signed by Shopify but not JSON: no retry would ever parse, so it is acknowledged and nothing is
    // recorded (not even as handled). Only the shop and topic are logged: the body may be customer data.
    logger.warn({ shop, topic }, "Shopify webhook with a valid signature but a body that is not JSON: acknowledged, nothing done");
    return answer(200);
  }
  const parsed = schema.safeParse(webhook.payload);
  if (!parsed.success) return answer(400, `The ${topic} payload is not what Shopify sends.`);
  const named = parsed.data as { shop_domain?: unknown; myshopify_domain?: unknown };
  const signedShop = named.shop_domain ?? named.myshopify_domain;
  if (signedShop !== undefined && signedShop !== shop) return answer(400, "The payload is for another shop than the X-Shopify-Shop-Domain header.");

  try {
    await whenReady(producerRedis);
    const outcome = await lifecycle().deliveries.once(duplicateMarker(webhook), async () => {
      await work(parsed.data);
    });
    if (outcome === "in-progress") return answer(409, "This delivery is being handled right now; deliver it again later.");
    if (outcome === "duplicate") logger.info({ shop, topic }, "repeated Shopify webhook delivery ignored");
    return answer(200);
  } catch (error) {
    if (error instanceof DeliveryNotFinishedError) {
      logger.warn({ shop, topic, reason: error.message }, "Shopify webhook not finished; waiting for the next delivery");
      return answer(503, "Part of the work could not be done yet; deliver it again later.");
    }
    // Only the shop and topic are logged: payloads of these topics are customer data.
    logger.error({ err: error, shop, topic }, "Shopify webhook failed");
    return answer(500, "The webhook could not be handled; deliver it again later.");
  }
}
