import type { Logger } from "../logger.server";
import type { OscarClient } from "../oscar/client.server";
import type { PostMessageRequest } from "../oscar/contract";
import { escapeHtml, escapeMarkdown } from "../text/escape";
import type { FlowActionHandle } from "./flow-actions.server";

// Line breaks of every kind: the merchant's text keeps its lines, each one escaped on its own.
const LINE_BREAKS = /\r\n|[\n\r\v\f\u0085\u2028\u2029]/;

/**
 * The Oscar message for a Flow action. The text comes from the merchant's workflow, which may fill it
 * with what a shopper controls (their name, a note, an order's attributes), so it is made inert for where
 * it lands: a markdown note shows every character literally, a chat reply is HTML-escaped. The note
 * says where it came from, so agents know a workflow wrote it.
 */
export function flowActionMessage(action: FlowActionHandle, text: string): PostMessageRequest {
  const lines = text.split(LINE_BREAKS).map((line) => line.trim());
  if (action === "post-private-note") {
    const body = lines.map((line) => (line ? escapeMarkdown(line) : "")).join("  \n");
    return { content: `**From a Shopify Flow workflow**\n\n${body}`, message_type: "outgoing", content_type: "markdown", private: true };
  }
  return { content: lines.map(escapeHtml).join("<br>"), message_type: "outgoing", content_type: "html", private: false };
}

export type FlowActionDelivery = { shop: string; actionRunId: string; action: FlowActionHandle; conversationId: string; text: string };

/**
 * Posts a queued Flow action to its conversation, once: the write carries the run id as its
 * idempotency key, and a retry looks for it before writing. A conversation resolved since the run
 * was accepted gets nothing (the customer no longer has it open).
 */
export async function deliverFlowAction(
  deps: { oscar: OscarClient; logger: Logger },
  delivery: FlowActionDelivery,
  { retrying }: { retrying: boolean },
): Promise<"posted" | "conversation-closed"> {
  const { shop, actionRunId, action, conversationId } = delivery;
  const conversation = await deps.oscar.getConversation(conversationId);
  if (conversation.status !== "open") {
    deps.logger.info({ shop, conversationId, action }, "Flow action not posted: the conversation is no longer open");
    return "conversation-closed";
  }
  await deps.oscar.postMessage(conversationId, flowActionMessage(action, delivery.text), { idempotencyKey: `flow-action:${actionRunId}`, checkFirst: retrying });
  deps.logger.info({ shop, conversationId, action }, "Flow action posted");
  return "posted";
}
