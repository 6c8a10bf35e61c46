import type { PrismaClient } from "@prisma/client";
import { z } from "zod";
import { FLOW_TRIGGER_RECEIVE_MUTATION } from "../graphql/flow-trigger-receive";
import type { Logger } from "../logger.server";
import { claimFlowTriggerFiring, markFlowTriggerSent, releaseFlowTriggerFiring } from "../models/flow-trigger-firing.server";
import { triggersReportedInUse } from "../models/flow-trigger-usage.server";
import { oscarConversationUrl } from "../oscar/links";
import { AdminApiResponseError, runAdminQuery, type AdminGraphql } from "../shopify/admin-graphql.server";
import { singleLine } from "../text/escape";

/** Each trigger's kind, in the merchant's words, and the handle of its extension under extensions/. */
export const FLOW_TRIGGER_HANDLES = {
  urgent: "urgent-conversation",
  vip: "vip-customer-chatting",
  handedOff: "conversation-handed-to-team",
  resolved: "conversation-resolved",
} as const;
export type FlowTriggerKind = keyof typeof FLOW_TRIGGER_HANDLES;

/** Each trigger's name as its extension declares it (checked against the tomls by test/declarations.test.ts). */
export const FLOW_TRIGGER_NAMES: Record<FlowTriggerKind, string> = {
  urgent: "Urgent conversation",
  vip: "VIP customer is chatting",
  handedOff: "Bot handed a conversation to the team",
  resolved: "Conversation resolved",
};

/**
 * The trigger a lifecycle callback's `flow_trigger_definition_id` names, or null for none of the app's.
 * **assumed**: it is the trigger extension's handle; shopify.dev's example of the field is a trigger's
 * title ("Add row to spreadsheet", from the days of Partner Dashboard triggers), so the name is read too.
 */
export function flowTriggerNamed(definitionId: string): FlowTriggerKind | null {
  const id = definitionId.trim();
  const kinds = Object.keys(FLOW_TRIGGER_HANDLES) as FlowTriggerKind[];
  return kinds.find((kind) => FLOW_TRIGGER_HANDLES[kind] === id || FLOW_TRIGGER_NAMES[kind].toLowerCase() === id.toLowerCase()) ?? null;
}

/**
 * The triggers a workflow of the shop starts with, as Flow's lifecycle callbacks last reported
 * (app/models/flow-trigger-usage.server.ts). Each trigger sent costs Admin API budget (10 points of
 * a bucket restored at 50 a second), so one no workflow uses is not sent at all. A definition id the
 * app cannot read (the assumption above proved wrong) counts as every trigger, so a merchant's
 * workflow is never starved by the app's misreading.
 */
export async function flowTriggersInUse(db: PrismaClient, shop: string): Promise<Set<FlowTriggerKind>> {
  const reported = await triggersReportedInUse(db, shop);
  const kinds = [...reported].map(flowTriggerNamed);
  if (kinds.includes(null)) return new Set(Object.keys(FLOW_TRIGGER_HANDLES) as FlowTriggerKind[]);
  return new Set(kinds.filter((kind): kind is FlowTriggerKind => kind !== null));
}

/** What a trigger carries: ids only for the customer and order (Flow reads the rest from Shopify). */
export type FlowTriggerFacts = {
  conversationId: string;
  /** The Shopify customer's numeric id, only from a signed identity (never a typed email). */
  customerId: string | null;
  /** The numeric id of an order of that same customer that the conversation names. */
  orderId: string | null;
  reason: string;
};

/** Flow's single_line_text_field: one line. 255 characters keeps every payload far under Flow's 50 KB. */
const MAX_TEXT = 255;
const text = (value: string) => singleLine(value).trim().slice(0, MAX_TEXT);
const numericId = (id: string | null) => (id && /^\d{1,18}$/.test(id) ? Number(id) : undefined);

/**
 * The payload of flowTriggerReceive: the declared fields by key (extensions/<handle>/shopify.extension.toml).
 * Reference fields are `customer_id` and `order_id` with the numeric id, as in shopify.dev's trigger
 * reference; a reference the app does not know is left out rather than guessed.
 */
export function flowTriggerPayload(facts: FlowTriggerFacts): Record<string, string | number> {
  const payload: Record<string, string | number> = {
    "Conversation link": oscarConversationUrl(facts.conversationId),
    "Conversation ID": text(facts.conversationId),
    Reason: text(facts.reason),
  };
  const customer = numericId(facts.customerId);
  if (customer !== undefined) payload.customer_id = customer;
  const order = customer !== undefined ? numericId(facts.orderId) : undefined;
  if (order !== undefined) payload.order_id = order;
  return payload;
}

/** Another worker holds this firing's claim and has not sent it yet: retried later, never dropped. */
export class FlowTriggerBusyError extends Error {
  override name = "FlowTriggerBusyError";
  constructor(kind: FlowTriggerKind) {
    super(`Another worker is sending the ${FLOW_TRIGGER_HANDLES[kind]} Flow trigger for this conversation; trying again later.`);
  }
}

const responseSchema = z.object({
  flowTriggerReceive: z.object({ userErrors: z.array(z.object({ field: z.array(z.string()).nullable(), message: z.string() })) }),
});

export type FlowTriggerDeps = {
  db: PrismaClient;
  adminGraphql: () => Promise<AdminGraphql>;
  /** How long a claim stays with the worker that took it before another may take it over. */
  leaseMs: number;
  logger: Logger;
  now?: () => Date;
};

/**
 * Sends one trigger for a conversation, exactly once per conversation and kind: claimed in the
 * database first, marked sent after. A failed send gives the claim back and fails the job, whose retry
 * sends it; a claim whose holder died lapses after `leaseMs`. Only a crash between Shopify accepting
 * the call and the mark can send it twice (flowTriggerReceive takes no idempotency key). Callers send
 * only triggers in use (flowTriggersInUse), checked before they look anything up for the payload.
 */
export async function fireFlowTrigger(deps: FlowTriggerDeps, shop: string, kind: FlowTriggerKind, facts: FlowTriggerFacts): Promise<"sent" | "already-sent"> {
  const now = deps.now ?? (() => new Date());
  const key = { shop, conversationId: facts.conversationId, kind };
  const claim = await claimFlowTriggerFiring(deps.db, key, now(), deps.leaseMs);
  if (claim === "sent") return "already-sent";
  if (claim === "held-by-another") throw new FlowTriggerBusyError(kind);

  const handle = FLOW_TRIGGER_HANDLES[kind];
  try {
    const answer = await runAdminQuery(await deps.adminGraphql(), FLOW_TRIGGER_RECEIVE_MUTATION, responseSchema, { handle, payload: flowTriggerPayload(facts) });
    const { userErrors } = answer.flowTriggerReceive;
    // The payload is the app's own: a refusal is a bug no retry fixes. Fields are named, values never (they may describe the customer).
    if (userErrors.length > 0) throw new AdminApiResponseError(`Shopify refused the Flow trigger ${handle} at: ${userErrors.map((e) => (e.field ?? []).join(".")).join(", ")}.`);
  } catch (error) {
    await releaseFlowTriggerFiring(deps.db, key);
    throw error;
  }
  await markFlowTriggerSent(deps.db, key, now());
  deps.logger.info({ shop, conversationId: facts.conversationId, trigger: handle, customer: facts.customerId !== null, order: facts.orderId !== null }, "Flow trigger sent");
  return "sent";
}
