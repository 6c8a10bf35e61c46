import { DelayedError, UnrecoverableError } from "bullmq";
import { GraphqlQueryError, HttpResponseError } from "@shopify/shopify-api";
import { SessionNotFoundError } from "@shopify/shopify-app-remix/server";
import { ZodError } from "zod";
import { ShopNotConnectedError } from "../app/oscar/for-shop.server";
import { isPermanentOscarError } from "../app/oscar/errors";
import { DecryptionError } from "../app/security/encryption.server";
import { KnowledgeBotMissingError } from "../app/services/knowledge-sync.server";
import { AdminApiResponseError } from "../app/shopify/admin-graphql.server";
import { SlackDeliveryError } from "../app/slack/slack.server";

const PERMANENT_HTTP = new Set([400, 401, 402, 403, 404, 422, 423]);

/**
 * Decides whether a failed job may succeed on a later attempt. Permanent failures become
 * UnrecoverableError so BullMQ moves them straight to the failed (dead-letter) set; anything
 * else is rethrown to be retried with backoff.
 */
export function classifyJobFailure(error: unknown): Error {
  // Not a failure: the job put itself back in the delayed set (to wait, or for a debounce).
  if (error instanceof UnrecoverableError || error instanceof DelayedError) return error;
  if (error instanceof SessionNotFoundError) {
    return new UnrecoverableError("The shop has no offline session: it uninstalled the app or never finished installing.");
  }
  if (error instanceof ZodError) return new UnrecoverableError("The job's data is not valid; retrying cannot fix it.");
  if (error instanceof AdminApiResponseError) return new UnrecoverableError(error.message);
  // Oscar rejected the key, lost the conversation, or refused the request: only the merchant can fix these.
  if (isPermanentOscarError(error) || error instanceof ShopNotConnectedError || error instanceof DecryptionError) {
    return new UnrecoverableError((error as Error).message);
  }
  // Knowledge sync without a chosen bot: the merchant must pick one first.
  if (error instanceof KnowledgeBotMissingError) return new UnrecoverableError(error.message);
  if (error instanceof SlackDeliveryError && error.permanent) return new UnrecoverableError(error.message);
  const status = httpStatusOf(error);
  if (status !== undefined && PERMANENT_HTTP.has(status)) {
    return new UnrecoverableError(`Shopify refused the request with HTTP ${status}; retrying cannot fix it.`);
  }
  return error instanceof Error ? error : new Error(String(error));
}

function httpStatusOf(error: unknown): number | undefined {
  if (error instanceof HttpResponseError) return error.response.code;
  if (error instanceof GraphqlQueryError) {
    const code = (error.response as { code?: unknown } | undefined)?.code;
    return typeof code === "number" ? code : undefined;
  }
  return undefined;
}

/** Wraps a processor so its failures are classified. */
export function withFailureClassification<A extends unknown[], R>(run: (...args: A) => Promise<R>) {
  return async (...args: A): Promise<R> => {
    try {
      return await run(...args);
    } catch (error) {
      throw classifyJobFailure(error);
    }
  };
}
