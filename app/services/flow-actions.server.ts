import type { PrismaClient } from "@prisma/client";
import { createHash } from "node:crypto";
import { z } from "zod";
import { jsonResponse } from "../http/json.server";
import type { Logger } from "../logger.server";
import { findFlowActionRun, findOpenConversationOf, recordFlowActionRun, type FlowActionRunRecord } from "../models/flow-action-run.server";
import { findShop } from "../models/shop.server";
import { oscarConversationUrl } from "../oscar/links";
import { QueueUnavailableError, type JobProducer } from "../queues/producer.server";
import { encryptSecret, SECRET_FIELDS, type EncryptionKeyring } from "../security/encryption.server";
import { readSignedFlowRequest } from "../webhooks/flow-action-signature.server";

/** The app's Flow actions: extension handles under extensions/, each served by app/routes/flow.actions.<handle>.tsx. */
export const FLOW_ACTIONS = ["post-private-note", "send-chat-message"] as const;
export type FlowActionHandle = (typeof FLOW_ACTIONS)[number];

/** **assumed** cap: long enough for any note or reply; Oscar documents no limit. */
export const MAX_FLOW_ACTION_TEXT = 5_000;

/**
 * What Flow POSTs for one run (shopify.dev, "Create Flow action endpoints": shop_id, shopify_domain,
 * action_run_id, action_definition_id, handle, properties). `properties` holds the extension's fields:
 * `customer_id` for its customer_reference (a GID, or the numeric id: both are read) and `message`.
 */
const FlowActionRequestSchema = z.looseObject({
  shopify_domain: z.string().regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/),
  action_run_id: z.string().min(1).max(255),
  handle: z.string().optional(),
  properties: z.looseObject({
    customer_id: z.union([z.string().regex(/^(gid:\/\/shopify\/Customer\/)?\d{1,18}$/), z.number().int().positive()]).transform((id) => String(id).replace(/^gid:\/\/shopify\/Customer\//, "")),
    message: z.string().trim().min(1).max(MAX_FLOW_ACTION_TEXT),
  }),
});

export type FlowActionDeps = {
  db: PrismaClient;
  producer: Pick<JobProducer, "enqueue">;
  keyring: EncryptionKeyring;
  /** The app's client secret: Shopify signs Flow's requests with it. */
  appSecret: string;
  logger: Logger;
  now?: () => Date;
};

/** The run's result for Flow: the extension's return type ChatActionResult (extensions/<handle>/schema.graphql). */
function runResult(run: FlowActionRunRecord): Response {
  return jsonResponse({
    return_value: {
      outcome: run.outcome === "queued" ? "QUEUED" : "NO_OPEN_CONVERSATION",
      hasOpenConversation: run.conversationId !== null,
      conversationLink: run.conversationId ? oscarConversationUrl(run.conversationId) : null,
    },
  });
}

const refused = (status: number, error: string) => jsonResponse({ error }, { status });

/** One job per run: a concurrent duplicate request adds the same job, which BullMQ keeps once. */
export const flowActionJobId = (shop: string, actionRunId: string) => `flow-action-${createHash("sha256").update(`${shop}\n${actionRunId}`).digest("hex").slice(0, 32)}`;

/**
 * A Flow action run: verify Shopify's signature, then answer at once with what will happen. A run for a
 * customer with an open conversation queues the write (sealed) for the worker, which respects Oscar's
 * rate limit; a customer without one gets nothing written and the answer says NO_OPEN_CONVERSATION. The
 * answer is recorded by action_run_id, so a replayed run answers the same and queues nothing.
 *
 * Statuses (Flow reads the status; shopify.dev): 200 with the result; 401 for a request Shopify did not
 * sign; 400/404 for a run that can never succeed (Flow marks the step failed, no retry); 503 when the
 * job queue is down (Flow retries a 5xx later).
 */
export async function receiveFlowAction(deps: FlowActionDeps, action: FlowActionHandle, request: Request): Promise<Response> {
  const now = deps.now ?? (() => new Date());
  const signed = await readSignedFlowRequest(request, deps.appSecret);
  if ("refusal" in signed) {
    if (signed.unsigned) deps.logger.warn({ action }, "Flow action request with a missing or wrong signature refused");
    return signed.refusal;
  }
  const parsed = FlowActionRequestSchema.safeParse(signed.body);
  // Paths only: the values may be the customer's details.
  if (!parsed.success) return refused(400, `The action run is missing or has invalid fields: ${parsed.error.issues.map((i) => i.path.join(".")).join(", ")}.`);
  const { shopify_domain: shop, action_run_id: actionRunId, handle, properties } = parsed.data;
  // A run of the app's other action sent here (a mistyped runtime_url) must not post the wrong kind of message.
  if (handle !== action && FLOW_ACTIONS.some((other) => other === handle)) return refused(400, `This endpoint runs ${action}, not ${handle}.`);
  const installed = await findShop(deps.db, shop);
  if (!installed || installed.uninstalledAt) return refused(404, "Oscar Chat is not installed on this store.");

  const logger = deps.logger.child({ shop, action });
  const replay = await findFlowActionRun(deps.db, shop, actionRunId);
  if (replay) {
    logger.info({ outcome: replay.outcome }, "Flow action run replayed: answered as before, nothing done");
    return runResult(replay);
  }

  const conversationId = await findOpenConversationOf(deps.db, shop, properties.customer_id);
  if (!conversationId) {
    logger.info("Flow action for a customer with no open conversation: nothing written");
    return runResult(await recordFlowActionRun(deps.db, shop, actionRunId, { action, outcome: "no-open-conversation", conversationId: null }, now()));
  }
  try {
    await deps.producer.enqueue(
      "flow.action",
      { shop, actionRunId, action, conversationId, sealedText: encryptSecret(deps.keyring, properties.message, { shop, field: SECRET_FIELDS.flowActionText }) },
      { jobId: flowActionJobId(shop, actionRunId) },
    );
  } catch (error) {
    if (!(error instanceof QueueUnavailableError)) throw error;
    // Nothing recorded: Flow's retry of this run is handled as a first delivery.
    logger.warn("Flow action not queued: the job queue is unavailable");
    return refused(503, "The app cannot take the action right now; Flow will try again.");
  }
  logger.info({ conversationId }, "Flow action queued");
  return runResult(await recordFlowActionRun(deps.db, shop, actionRunId, { action, outcome: "queued", conversationId }, now()));
}
