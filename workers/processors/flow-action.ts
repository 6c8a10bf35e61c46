import type { Job } from "bullmq";
import type { Logger } from "../../app/logger.server";
import type { OscarClientFactory } from "../../app/oscar/for-shop.server";
import { parseJobPayload } from "../../app/queues/jobs";
import { decryptSecret, SECRET_FIELDS, type EncryptionKeyring } from "../../app/security/encryption.server";
import { deliverFlowAction } from "../../app/services/flow-action-delivery.server";

/**
 * `flow.action`: opens the merchant's sealed text and hands the run to the delivery service. The shop's
 * Oscar client carries its rate limiter, so a burst of workflow runs waits for the key's budget.
 * Returns nothing: BullMQ keeps return values in Redis as plain text.
 */
export function createFlowActionProcessor(deps: { oscarFor: OscarClientFactory; keyring: EncryptionKeyring; logger: Logger }) {
  return async (job: Job): Promise<void> => {
    const payload = parseJobPayload("flow.action", job.data);
    const text = decryptSecret(deps.keyring, payload.sealedText, { shop: payload.shop, field: SECRET_FIELDS.flowActionText });
    // A job that failed or was cut short before may have posted: it looks before it writes.
    const retrying = job.attemptsMade > 0 || (job.stalledCounter ?? 0) > 0 || job.attemptsStarted > 1;
    await deliverFlowAction(
      { oscar: await deps.oscarFor(payload.shop), logger: deps.logger.child({ job: job.name, jobId: job.id }) },
      { shop: payload.shop, actionRunId: payload.actionRunId, action: payload.action, conversationId: payload.conversationId, text },
      { retrying },
    );
  };
}
