import type { PrismaClient } from "@prisma/client";
import { DelayedError, UnrecoverableError, type Job } from "bullmq";
import type { Logger } from "../../app/logger.server";
import { markRunFinished } from "../../app/models/knowledge-sync-state.server";
import type { OscarClientFactory } from "../../app/oscar/for-shop.server";
import { parseJobPayload } from "../../app/queues/jobs";
import { DEBOUNCE_MS } from "../../app/queues/knowledge-sync-schedule.server";
import { describeKnowledgeFailure, runKnowledgeSync, type KnowledgeSyncDeps } from "../../app/services/knowledge-sync.server";
import { classifyJobFailure } from "../failures";
import type { AdminGraphqlFor } from "./shop-details";

/**
 * `knowledge.sync`: one run of the shop's knowledge sync. Its job id is fixed per shop, so BullMQ
 * never runs two for one shop at once. When changes arrived during the run, the same job moves
 * back to the delayed set for another debounce period instead of a second job being added.
 * A failure is recorded for the merchant in a plain sentence before the job fails or retries.
 */
export function createKnowledgeSyncProcessor({ db, adminGraphqlFor, oscarFor, logger, bulk, debounceMs = DEBOUNCE_MS }: {
  db: PrismaClient;
  adminGraphqlFor: AdminGraphqlFor;
  oscarFor: OscarClientFactory;
  logger: Logger;
  bulk?: KnowledgeSyncDeps["bulk"];
  debounceMs?: number;
}) {
  return async (job: Job, token?: string) => {
    const { shop } = parseJobPayload("knowledge.sync", job.data);
    const log = logger.child({ job: job.name, jobId: job.id });
    let result;
    try {
      const [graphql, oscar] = await Promise.all([adminGraphqlFor(shop), oscarFor(shop)]);
      result = await runKnowledgeSync({ db, graphql, oscar, logger: log, bulk }, shop);
    } catch (error) {
      const classified = classifyJobFailure(error);
      const retrying = !(classified instanceof UnrecoverableError) && job.attemptsMade + 1 < (job.opts.attempts ?? 1);
      await markRunFinished(db, shop, new Date(), { outcome: "failed", error: describeKnowledgeFailure(error) }, { again: retrying });
      throw classified;
    }
    if (result.again && token) {
      await job.moveToDelayed(Date.now() + debounceMs, token);
      throw new DelayedError();
    }
    const { full, itemsRead, created, removed, unchanged, syncCalled } = result;
    return { full, itemsRead, created, removed, unchanged, syncCalled };
  };
}
