/**
 * Agent order commands: an agent writes a command in a PRIVATE note in Oscar; the app answers in the
 * same conversation with a private preview and a confirmation code; `/confirm <code>` acts in Shopify.
 *
 * | command                              | Admin API (app/graphql/)                         | scope needed                               | limit (Settings)                 |
 * | ------------------------------------ | ------------------------------------------------ | ------------------------------------------ | -------------------------------- |
 * | /cancel #1025                        | orderCancel (refunds what remains, restocks)     | write_orders                               | refund ≤ maxRefundAmount         |
 * | /refund #1025 shipping               | suggestedRefund + refundCreate (@idempotent)     | write_orders                               | amount ≤ maxRefundAmount         |
 * | /refund #1025 24.90                  | suggestedRefund + refundCreate (@idempotent)     | write_orders                               | amount ≤ maxRefundAmount         |
 * | /address #1025 + address lines       | orderUpdate (shippingAddress)                    | write_orders                               | not on cancelled/shipped orders  |
 * | /discount 10%                        | discountCodeBasicCreate (this customer, 1 use)   | write_discounts                            | percent ≤ maxDiscountPercent     |
 * | /resend-tracking #1025               | fulfillmentTrackingInfoUpdate (notifyCustomer)   | write_merchant_managed_fulfillment_orders  | a shipment with tracking         |
 * | /confirm ABC234                      | the previewed action                             | as above, checked again                    | within 5 minutes, once           |
 * | /help                                | none                                             | none                                       | lists what the shop turned on    |
 *
 * Every command is off until the merchant turns it on; only agents on the shop's list may use any;
 * maxRefundAmount / maxDiscountPercent null means none at all. Orders must belong to the
 * conversation's signed-in customer (a storefront identity this app signed, as enrichment matched it
 * or as the note's event carries it), never to a typed email.
 * notifyCustomer (Settings) decides whether Shopify emails the customer about cancels and refunds.
 *
 * Safety: a command note is previewed once (unique sourceMessageId); a code is random-looking but
 * derived from the app secret and the note (so a retried preview repeats the same code), stored only
 * as a hash bound to the shop and conversation (a code from elsewhere matches nothing); it acts once,
 * through one conditional UPDATE previewed → confirmed. Every command, refused or not, is an OrderAction.
 */
import { createHash, createHmac } from "node:crypto";
import type { OrderAction, PrismaClient } from "@prisma/client";
import { z } from "zod";
import type { Logger } from "../logger.server";
import {
  confirmOrderAction,
  expireOrderAction,
  finishOrderAction,
  loadOrderCommandSettings,
  orderActionForCode,
  orderActionForNote,
  recordOrderCommand,
  type NewOrderAction,
  type OrderCommandKind,
  type OrderCommandSettings,
} from "../models/order-commands.server";
import { findConversationRecord } from "../models/conversation-record.server";
import { findShop } from "../models/shop.server";
import type { OscarClient } from "../oscar/client.server";
import { MessageSenderSchema, OscarIdSchema, type OscarWebhookEventOf } from "../oscar/contract";
import { AdminAccessDenied, type AdminGraphql } from "../shopify/admin-graphql.server";
import type { ContactVerification } from "../storefront/verify-contact.server";
import { CODE_ALPHABET, CODE_LENGTH, parseOrderCommandNote, type OrderCommand } from "./order-command-parse";
import { helpNote, previewNote, refusalNote, resultNote, usageNote, type OrderCommandPlan } from "./order-command-notes";
import { hasAccessFor, SCOPES_FOR_COMMAND } from "./order-command-access";
import * as shopify from "./order-command-shopify.server";

/** How long a preview's code can be confirmed. */
export const CONFIRMATION_MINUTES = 5;
/** How long a discount code made by /discount stays usable. */
const DISCOUNT_DAYS = 30;

export type OrderCommandDeps = {
  db: PrismaClient;
  oscar: OscarClient;
  adminGraphql: () => Promise<AdminGraphql>;
  verifyIdentity: (contact: unknown) => ContactVerification;
  /** The app secret: confirmation codes are derived from it, so nobody else can make one. */
  appSecret: string;
  now: () => Date;
  logger: Logger;
};

export type OrderCommandOutcome = "not-a-command" | "answered" | "previewed" | "refused" | "acted" | "repeated";

const AgentSenderSchema = MessageSenderSchema.extend({ type: z.literal("agent"), id: OscarIdSchema });

/** Whether a note could be an order command at all (the worker books Oscar budget for its answer). */
export function looksLikeOrderCommand(message: { private?: boolean; content: string | null }): boolean {
  return message.private === true && parseOrderCommandNote(message.content).type !== "not-a-command";
}

/** Handles an agent's private note: a command, a confirmation, /help, or (most notes) nothing at all. */
export async function handleOrderCommandNote(deps: OrderCommandDeps, shop: string, event: OscarWebhookEventOf<"message.created">): Promise<OrderCommandOutcome> {
  const { message, conversation_id: conversationId, contact } = event.data;
  if (!message.private) return "not-a-command";
  // The app's own notes come back as message.created too; they name no agent, so they are never commands.
  const sender = AgentSenderSchema.safeParse(message.sender);
  if (!sender.success) return "not-a-command";
  const parsed = parseOrderCommandNote(message.content);
  if (parsed.type === "not-a-command") return "not-a-command";

  const agentId = sender.data.id;
  const messageId = String(message.id);
  const settings = await loadOrderCommandSettings(deps.db, shop);
  // checkFirst (a read before the write) only where an earlier attempt may have posted already.
  const note = (content: string, idempotencyKey: string, checkFirst: boolean) =>
    deps.oscar.postMessage(conversationId, { content, message_type: "outgoing", content_type: "markdown", private: true }, { idempotencyKey, checkFirst });
  const answer = (content: string, checkFirst = true) => note(content, `order-command:${messageId}`, checkFirst);
  const allowed = settings.allowedAgentIds.includes(agentId);
  const ctx: CommandContext = { deps, shop, conversationId, messageId, agentId, settings, contact, note, answer };

  switch (parsed.type) {
    case "help":
      await answer(allowed ? helpNote(settings) : refusalNote(NOT_ON_LIST));
      return "answered";
    case "malformed":
      await answer(allowed ? usageNote(parsed.usage) : refusalNote(NOT_ON_LIST));
      return "answered";
    case "confirm":
      if (!allowed) {
        await answer(refusalNote(NOT_ON_LIST));
        return "refused";
      }
      return confirm(ctx, parsed.code);
    case "command":
      return preview(ctx, parsed.command, allowed);
  }
}

const NOT_ON_LIST = "You are not on this shop's list of agents who may use order commands (Settings → Order commands).";

type CommandContext = {
  deps: OrderCommandDeps;
  shop: string;
  conversationId: string;
  messageId: string;
  agentId: string;
  settings: OrderCommandSettings;
  contact: unknown;
  note: (content: string, idempotencyKey: string, checkFirst: boolean) => Promise<unknown>;
  answer: (content: string, checkFirst?: boolean) => Promise<unknown>;
};

// ---------------------------------------------------------------------------------------------
// Codes

/** The preview's code: derived from the app secret and the note, so only the app can make one and a retry repeats it. */
export function confirmationCode(appSecret: string, shop: string, conversationId: string, sourceMessageId: string): string {
  const digest = createHmac("sha256", appSecret).update(`order-command-code\n${shop}\n${conversationId}\n${sourceMessageId}`).digest();
  return Array.from(digest.subarray(0, CODE_LENGTH), (byte) => CODE_ALPHABET[byte % CODE_ALPHABET.length]).join("");
}

/** What is stored instead of the code: bound to the shop and conversation, so a code typed elsewhere matches nothing. */
export function codeHash(shop: string, conversationId: string, code: string): string {
  return createHash("sha256").update(`${shop}\n${conversationId}\n${code.toUpperCase()}`).digest("hex");
}

// ---------------------------------------------------------------------------------------------
// Preview

class Refusal extends Error {
  constructor(readonly reason: string, readonly order?: { id: string; name: string }) {
    super(reason);
  }
}

async function preview(ctx: CommandContext, command: OrderCommand, allowed: boolean): Promise<OrderCommandOutcome> {
  const { deps, shop, conversationId, messageId } = ctx;
  // A redelivered note, or a retry after the row was written: say again what was said, never anew.
  const existing = await orderActionForNote(deps.db, shop, messageId);
  if (existing) return repeatAnswer(ctx, existing);

  const customerGid = await conversationCustomerGid(ctx);
  const base = {
    conversationId,
    sourceMessageId: messageId,
    agentId: ctx.agentId,
    command: command.kind,
    shopifyCustomerId: customerGid,
    orderId: null as string | null,
    orderName: "orderName" in command ? command.orderName : null,
  };
  let row: NewOrderAction;
  let code: string | null = null;
  try {
    if (!allowed) throw new Refusal(NOT_ON_LIST);
    const plan = await planCommand(ctx, command, customerGid);
    code = confirmationCode(deps.appSecret, shop, conversationId, messageId);
    const expiresAt = new Date(deps.now().getTime() + CONFIRMATION_MINUTES * 60_000);
    row = { ...base, orderId: "orderId" in plan ? plan.orderId : null, codeHash: codeHash(shop, conversationId, code), plan: JSON.stringify(plan), status: "previewed", outcome: null, expiresAt };
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    code = null;
    row = { ...base, orderId: error.order?.id ?? null, codeHash: null, plan: null, status: "refused", outcome: error.reason, expiresAt: null };
  }
  const stored = await recordOrderCommand(deps.db, shop, row);
  // Another worker recorded this note first: answer with what it recorded.
  if (!stored) return repeatAnswer(ctx, (await orderActionForNote(deps.db, shop, messageId))!);
  // This attempt wrote the row, so no earlier attempt can have posted its answer.
  await sendRecordedAnswer(ctx, stored, false);
  deps.logger.info({ shop, conversationId, command: command.kind, status: stored.status }, "order command previewed");
  return stored.status === "previewed" ? "previewed" : "refused";
}

async function repeatAnswer(ctx: CommandContext, action: OrderAction): Promise<OrderCommandOutcome> {
  await sendRecordedAnswer(ctx, action, true);
  return "repeated";
}

/** The note a recorded command was answered with, rebuilt from the row (the code from the secret, never stored). */
function sendRecordedAnswer(ctx: CommandContext, action: OrderAction, checkFirst: boolean) {
  if (action.status === "refused" || !action.plan || !action.expiresAt) return ctx.answer(refusalNote(action.outcome ?? "It was refused."), checkFirst);
  const code = confirmationCode(ctx.deps.appSecret, ctx.shop, action.conversationId, action.sourceMessageId);
  return ctx.answer(previewNote(JSON.parse(action.plan) as OrderCommandPlan, code, action.expiresAt), checkFirst);
}

/**
 * The conversation's verified customer: the one enrichment matched from a signed storefront identity
 * (kept on the conversation's record, so an agent can act after the shopper's 30-minute identity
 * lapsed), or the identity the note's event carries. Two different signed customers: neither.
 */
async function conversationCustomerGid(ctx: CommandContext): Promise<string | null> {
  const verification = ctx.deps.verifyIdentity(ctx.contact ?? {});
  const signedNow = verification.verified ? verification.customerGid : null;
  const record = await findConversationRecord(ctx.deps.db, ctx.shop, ctx.conversationId);
  const matched = record?.enrichmentOutcome === "customer" && record.shopifyCustomerId ? `gid://shopify/Customer/${record.shopifyCustomerId}` : null;
  if (signedNow && matched && signedNow !== matched) return null;
  return signedNow ?? matched;
}

async function requireScopes(ctx: CommandContext, kind: OrderCommandKind) {
  const granted = ((await findShop(ctx.deps.db, ctx.shop))?.scopes ?? "").split(",").map((s) => s.trim());
  // The same map Settings asks Shopify for (optional scopes), so what is granted is what is checked.
  if (!hasAccessFor(kind, granted)) throw new Refusal(missingScope(SCOPES_FOR_COMMAND[kind]));
}

const missingScope = (needed: readonly string[]) => `The merchant has not granted the app ${needed[0]}, which this command needs (Settings → Order actions from the inbox asks Shopify for it).`;

/** Cents, for comparing amounts exactly. */
const cents = (amount: string) => Math.round(Number(amount) * 100);

/** Everything the preview promises, from Shopify's own figures; a Refusal says why not. */
async function planCommand(ctx: CommandContext, command: OrderCommand, customerGid: string | null): Promise<OrderCommandPlan> {
  const { settings } = ctx;
  if (!settings.enabledCommands.includes(command.kind)) throw new Refusal(`The merchant has not turned on /${command.kind} (Settings → Order commands).`);
  await requireScopes(ctx, command.kind);
  if (!customerGid) throw new Refusal("This conversation is not matched to a signed-in customer of the store, so the app cannot tell whose orders are theirs. Commands act only for a signed-in customer.");
  const graphql = await ctx.deps.adminGraphql();
  try {
    if (command.kind === "discount") {
      if (settings.maxDiscountPercent === null) throw new Refusal("This shop allows no discounts by command.");
      if (command.percent > settings.maxDiscountPercent) throw new Refusal(`${command.percent}% is above the largest discount this shop allows (${settings.maxDiscountPercent}%).`);
      const endsAt = new Date(ctx.deps.now().getTime() + DISCOUNT_DAYS * 86_400_000).toISOString();
      const code = `THANKS-${confirmationCode(ctx.deps.appSecret, ctx.shop, ctx.conversationId, `discount:${ctx.messageId}`)}`;
      return { kind: "discount", customerId: customerGid, percent: command.percent, code, endsAt };
    }
    const order = await shopify.findOrderByName(graphql, command.orderName);
    // Someone else's order and no order at all read the same: the note never says whose it is.
    if (!order || order.customer?.id !== customerGid) throw new Refusal(`Order ${command.orderName} is not one of this signed-in customer's orders (or is older than the app can see).`);
    const known = { id: order.id, name: order.name };
    if (order.cancelledAt) throw new Refusal(`Order ${order.name} is already cancelled.`, known);
    switch (command.kind) {
      case "cancel": {
        const suggestion = await shopify.suggestRefund(graphql, order.id, "everything");
        const refund = suggestion && cents(suggestion.maximum.amount) > 0 ? suggestion.maximum : null;
        if (refund) checkRefundLimit(settings, refund, known);
        const shipped = order.fulfillments.some((f) => f.status === "SUCCESS");
        return { kind: "cancel", orderId: order.id, orderName: order.name, refund, restock: true, notifyCustomer: settings.notifyCustomer, shipped };
      }
      case "refund": {
        const asked = "shipping" in command.what ? "shipping" : "everything";
        const suggestion = await shopify.suggestRefund(graphql, order.id, asked);
        if (!suggestion || cents(suggestion.maximum.amount) <= 0) throw new Refusal(`Nothing paid remains to refund on order ${order.name}.`, known);
        let amount: shopify.Money;
        if ("amount" in command.what) {
          if (cents(command.what.amount) > cents(suggestion.maximum.amount)) throw new Refusal(`Shopify can refund at most ${suggestion.maximum.amount} ${suggestion.maximum.currencyCode} on order ${order.name}.`, known);
          amount = { amount: command.what.amount, currencyCode: suggestion.maximum.currencyCode };
        } else {
          if (cents(suggestion.amount.amount) <= 0) throw new Refusal(`Order ${order.name}'s shipping was free or is already refunded.`, known);
          amount = suggestion.amount;
        }
        if (!suggestion.payment) throw new Refusal(`Shopify suggests no payment to refund on order ${order.name}; refund it from the order page.`, known);
        checkRefundLimit(settings, amount, known);
        return { kind: "refund", orderId: order.id, orderName: order.name, amount, shipping: asked === "shipping" ? amount : null, payment: suggestion.payment, notifyCustomer: settings.notifyCustomer };
      }
      case "address": {
        if (order.displayFulfillmentStatus === "FULFILLED") throw new Refusal(`Order ${order.name} has shipped: a new address would not reach the parcel.`, known);
        const a = order.shippingAddress;
        const previous = a ? [a.city, a.provinceCode, a.zip, a.countryCodeV2].filter(Boolean).join(", ") : null;
        return { kind: "address", orderId: order.id, orderName: order.name, address: command.address, previous };
      }
      case "resend-tracking": {
        const shipment = order.fulfillments.filter((f) => f.status === "SUCCESS").flatMap((f) => f.trackingInfo.filter((t) => t.number).map((t) => ({ fulfillmentId: f.id, t }))).at(-1);
        if (!shipment) throw new Refusal(`Order ${order.name} has no shipment with tracking yet.`, known);
        return { kind: "resend-tracking", orderId: order.id, orderName: order.name, fulfillmentId: shipment.fulfillmentId, tracking: { company: shipment.t.company, number: shipment.t.number!, url: shipment.t.url } };
      }
    }
  } catch (error) {
    if (error instanceof AdminAccessDenied && error.denied.some((d) => d.reason === "access-scope")) throw new Refusal(missingScope(SCOPES_FOR_COMMAND[command.kind]));
    throw error;
  }
}

function checkRefundLimit(settings: OrderCommandSettings, amount: shopify.Money, order: { id: string; name: string }) {
  if (settings.maxRefundAmount === null) throw new Refusal("This shop allows no refunds by command.", order);
  if (cents(amount.amount) > cents(settings.maxRefundAmount)) {
    throw new Refusal(`The refund (${amount.amount} ${amount.currencyCode}) is above the largest refund this shop allows by command (${settings.maxRefundAmount}).`, order);
  }
}

// ---------------------------------------------------------------------------------------------
// Confirmation

async function confirm(ctx: CommandContext, code: string): Promise<OrderCommandOutcome> {
  const { deps, shop, conversationId, messageId } = ctx;
  const now = deps.now();
  const action = await orderActionForCode(deps.db, shop, codeHash(shop, conversationId, code));
  if (!action || action.conversationId !== conversationId) {
    await ctx.answer(refusalNote(`No preview in this conversation has the code ${code}. Codes work only in the conversation that gave them; nothing was done.`));
    return "refused";
  }
  // Oscar redelivered the note that confirmed: report the result again (or finish an act a crash cut short).
  if (action.confirmMessageId === messageId) {
    if (action.status === "confirmed") return act(ctx, action, true);
    await sendResult(ctx, action, true);
    return "repeated";
  }
  if (action.status === "previewed" && action.expiresAt && action.expiresAt <= now) await expireOrderAction(deps.db, shop, action.id, now);
  const won = await confirmOrderAction(deps.db, shop, action.id, { agentId: ctx.agentId, messageId, at: now });
  if (!won) {
    const current = (await orderActionForCode(deps.db, shop, action.codeHash!))!;
    const why =
      current.status === "expired" || current.status === "previewed"
        ? `Code ${code} expired at ${current.expiresAt!.toISOString().slice(11, 16)} UTC. Write the command again for a new preview.`
        : `Code ${code} was already used (${current.status}). Nothing was done again.`;
    await ctx.answer(refusalNote(why));
    return "refused";
  }
  return act(ctx, (await orderActionForCode(deps.db, shop, action.codeHash!))!, false);
}

/** Carries out the stored plan, exactly as previewed, and reports Shopify's answer. */
async function act(ctx: CommandContext, action: OrderAction, resumed: boolean): Promise<OrderCommandOutcome> {
  const { deps, shop } = ctx;
  const plan = JSON.parse(action.plan!) as OrderCommandPlan;
  let result: shopify.ActionResult;
  try {
    await requireScopes(ctx, plan.kind);
    result = await carryOut(await deps.adminGraphql(), plan, action);
  } catch (error) {
    if (error instanceof Refusal) result = { ok: false, reasons: [error.reason] };
    else if (error instanceof AdminAccessDenied && error.denied.some((d) => d.reason === "access-scope")) result = { ok: false, reasons: [missingScope(SCOPES_FOR_COMMAND[plan.kind])] };
    else throw error;
  }
  const outcome = resultNote(plan, result);
  await finishOrderAction(deps.db, shop, action.id, { status: result.ok ? "done" : "failed", outcome, at: deps.now() });
  await sendResult(ctx, { ...action, outcome }, resumed);
  deps.logger.info({ shop, conversationId: ctx.conversationId, command: plan.kind, ok: result.ok }, "order command carried out");
  return "acted";
}

function sendResult(ctx: CommandContext, action: OrderAction, checkFirst: boolean) {
  return ctx.note(action.outcome ?? "The command's result was not recorded.", `order-command-result:${action.id}`, checkFirst);
}

function carryOut(graphql: AdminGraphql, plan: OrderCommandPlan, action: OrderAction): Promise<shopify.ActionResult> {
  const staffNote = `Order command from Oscar agent ${action.agentId} (conversation ${action.conversationId})`;
  switch (plan.kind) {
    case "cancel":
      return shopify.cancelOrder(graphql, { orderId: plan.orderId, restock: plan.restock, notifyCustomer: plan.notifyCustomer, staffNote });
    case "refund":
      // The audit row's id is the idempotency key: a retried job can never refund twice.
      return shopify.refundOrder(graphql, { orderId: plan.orderId, amount: plan.amount, shipping: plan.shipping, payment: plan.payment, notify: plan.notifyCustomer, note: staffNote, idempotencyKey: action.id });
    case "address":
      return shopify.updateShippingAddress(graphql, plan.orderId, plan.address);
    case "discount":
      return shopify.createCustomerDiscountCode(graphql, { code: plan.code, title: `Oscar chat: ${plan.percent}% for a customer`, customerId: plan.customerId, percent: plan.percent, startsAt: action.createdAt.toISOString(), endsAt: plan.endsAt });
    case "resend-tracking":
      return shopify.resendTracking(graphql, plan.fulfillmentId, plan.tracking);
  }
}
