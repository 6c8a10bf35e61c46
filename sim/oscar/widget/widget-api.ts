import { randomBytes, timingSafeEqual } from "node:crypto";
import { readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import type { Logger } from "../../../app/logger.server";
import type { AnnouncedEvent, OscarSimState, SimConversation, SimMessage } from "../state";
import { decideBotTurn, HANDOVER_MESSAGE, HANDOVER_REASONS } from "./bot";

/**
 * The simulator's chat widget: `GET /widget/loader.js` (loaded by the theme extension's embed exactly
 * as Oscar's own loader is) and the small HTTP API that loader talks to under `/widget/api/`.
 *
 * This API is the simulator's own. Oscar's widget internals are not public, so nothing here is part
 * of the contract in shared/oscar-api.md; what matters is that a conversation started here is an
 * ordinary Oscar conversation: same contacts, same webhooks (through state.ts), same /v1 API.
 *
 * **Assumed** (ours): the widget API answers any origin with CORS, as Oscar's widget runs on whatever
 * domain a merchant puts it on. It uses no cookies: the only credential is the per-conversation
 * visitor token the browser keeps, so an open CORS policy lends no one else's session.
 */

export type ChatWidgetOptions = {
  state: OscarSimState;
  logger?: Logger;
  /** How long the bot leaves an order question to the app's order-status answer before a human takes over. */
  orderAnswerGraceMs?: number;
};

/** Long enough for the app's worker to look the order up, short enough that no shopper is left hanging. */
export const DEFAULT_ORDER_ANSWER_GRACE_MS = 20_000;
/** The longest a transcript poll is held open waiting for a new message. */
const MAX_WAIT_MS = 25_000;

const LOADER_SOURCE = readFileSync(new URL("./loader.js", import.meta.url), "utf8");

const attributeValue = z.union([z.string().max(4096), z.number(), z.boolean(), z.null()]);
/** What `OscarChat("identify", …)` was given: user_id, email, name, oscar_identity and custom attributes. */
const IdentitySchema = z.record(z.string().min(1).max(64), attributeValue).refine((fields) => Object.keys(fields).length <= 50, "at most 50 fields");
const ContentSchema = z.string().trim().min(1, "write a message first").max(5000, "at most 5,000 characters");
const StartConversationSchema = z.strictObject({
  content: ContentSchema,
  identity: IdentitySchema.default({}),
  flow: z.strictObject({ flow_id: z.string().min(1).max(128), context: z.record(z.string(), z.unknown()).optional() }).optional(),
});
const WriteSchema = z.strictObject({ content: ContentSchema });
const IdentifySchema = z.strictObject({ identity: IdentitySchema });

/** A conversation started from the widget: who may read it (its token) and who it was started as. */
type WidgetConversation = { conversationId: string; widgetId: string; token: string; userId: string | null; flow?: { flow_id: string; context?: Record<string, unknown> } };

/** How the shopper's widget shows who wrote: the app's API messages come from the account, as an agent's. */
export type WidgetAuthor = "shopper" | "bot" | "agent";
const AUTHOR: Record<SimMessage["sender"], WidgetAuthor> = { shopper: "shopper", bot: "bot", agent: "agent", app: "agent" };

/** Shown to the shopper: never a private note or an activity. */
const visibleToShopper = (m: SimMessage) => !m.private && m.messageType !== "activity";

/** `position`: the message's place in the whole conversation, notes included, so the widget can order what it receives. */
function widgetMessageJson(m: SimMessage, position: number) {
  return { id: m.id, position, author: AUTHOR[m.sender], content: m.content, content_type: m.contentType, created_at: new Date(m.createdAt).toISOString() };
}

const blank = (value: unknown) => value === undefined || value === null || (typeof value === "string" && value.trim() === "");

/**
 * An identify call as Oscar's contact: email and name are the contact's own fields, everything else a
 * custom attribute. The identity fields are replaced, never merged: an identify without a signed
 * token removes the token an earlier session left on a contact with the same email, so claiming an
 * email never inherits someone else's proof.
 */
export function contactFromIdentity(identity: Record<string, unknown>) {
  const text = (value: unknown) => (blank(value) ? null : String(value).trim());
  const customAttributes: Record<string, unknown> = { user_id: null, oscar_identity: null };
  for (const [name, value] of Object.entries(identity)) {
    if (name === "email" || name === "name") continue;
    customAttributes[name] = blank(value) ? null : value;
  }
  const userId = text(identity.user_id);
  return { email: text(identity.email)?.toLowerCase() ?? null, name: text(identity.name), customAttributes, userId };
}

export function createChatWidget({ state, logger, orderAnswerGraceMs = DEFAULT_ORDER_ANSWER_GRACE_MS }: ChatWidgetOptions) {
  const log = logger?.child({ component: "oscar-simulator-widget" });
  const started = new Map<string, WidgetConversation>();
  const waiting = new Map<string, Set<() => void>>();
  const timers = new Set<NodeJS.Timeout>();

  const widgetById = (widgetId: string) => state.accountForWidget(widgetId)?.widgets.find((w) => w.id === widgetId);

  function handOver(conversation: SimConversation, reason: string) {
    state.botReplies(conversation.id, HANDOVER_MESSAGE);
    state.botEscalates(conversation.id, reason);
  }

  /** The bot's turn after a shopper's message (see decideBotTurn for the rule). */
  function botTurn(conversation: SimConversation, widgetId: string, question: string) {
    const bot = state.accountForWidget(widgetId)?.bots.find((b) => b.id === widgetById(widgetId)?.botId);
    const turn = decideBotTurn(conversation, bot?.sources ?? [], question);
    if (turn.kind === "answer") state.botReplies(conversation.id, turn.content);
    else if (turn.kind === "hand-over") handOver(conversation, turn.reason);
    else if (turn.kind === "await-order-answer") {
      // The app answers order questions (its worker posts the reply through the API); the bot only
      // steps in, by handing over, when no answer came, so the two never both answer one question.
      const askedAt = conversation.messages.length;
      const timer = setTimeout(() => {
        timers.delete(timer);
        const answered = conversation.messages.slice(askedAt).some((m) => m.messageType === "outgoing" && !m.private && m.sender !== "bot");
        if (!answered && conversation.escalations.length === 0) handOver(conversation, HANDOVER_REASONS.orderUnanswered);
      }, orderAnswerGraceMs);
      timers.add(timer);
    }
  }

  /** The conversation this request may touch: right token (else 404, as for an unknown id) and same visitor (else 409). */
  function ownConversation(req: IncomingMessage, conversationId: string): { record: WidgetConversation; conversation: SimConversation } | Answer {
    const record = started.get(conversationId);
    const conversation = state.conversation(conversationId);
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1] ?? "";
    if (!record || !conversation || !sameSecret(token, record.token)) return { status: 404, body: { error: "conversation not found" } };
    const visitor = String(req.headers["x-visitor-user"] ?? "").trim() || null;
    // A shared device: the widget now speaks for someone else, who must not read this conversation.
    if (visitor !== record.userId) return { status: 409, body: { error: "this conversation belongs to another visitor: start a new one" } };
    return { record, conversation };
  }

  function transcript(conversation: SimConversation, after: number) {
    const cursor = conversation.messages.length;
    const from = Math.min(Math.max(after, 0), cursor);
    const messages = conversation.messages.slice(from).flatMap((m, i) => (visibleToShopper(m) ? [widgetMessageJson(m, from + i)] : []));
    return { messages, cursor };
  }

  /** Waits until the conversation has more than `after` messages, or `ms` passed, or the browser went away. */
  function nextMessage(res: ServerResponse, conversation: SimConversation, after: number, ms: number): Promise<void> {
    if (conversation.messages.length > after || ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const listeners = waiting.get(conversation.id) ?? new Set();
      waiting.set(conversation.id, listeners);
      const done = () => {
        clearTimeout(timer);
        listeners.delete(done);
        res.off("close", done);
        resolve();
      };
      const timer = setTimeout(done, Math.min(ms, MAX_WAIT_MS));
      listeners.add(done);
      // The response, not the socket: a kept-alive socket serves many polls and would collect listeners.
      res.once("close", done);
    });
  }

  async function answer(req: IncomingMessage, res: ServerResponse, url: URL, body: unknown): Promise<Answer> {
    const method = req.method ?? "GET";
    const path = url.pathname.slice("/widget/api".length);
    let match: RegExpExecArray | null;

    if ((match = /^\/widgets\/([^/]+)$/.exec(path)) && method === "GET") {
      const widget = widgetById(decodeURIComponent(match[1]));
      return widget ? { status: 200, body: { id: widget.id, name: widget.name } } : { status: 404, body: { error: "no widget with this id" } };
    }
    if ((match = /^\/widgets\/([^/]+)\/conversations$/.exec(path)) && method === "POST") {
      const widgetId = decodeURIComponent(match[1]);
      const account = state.accountForWidget(widgetId);
      if (!account) return { status: 404, body: { error: "no widget with this id" } };
      const input = StartConversationSchema.parse(body);
      const contact = contactFromIdentity(input.identity);
      const { conversationId } = state.shopperOpensConversation({ workspaceId: account.workspace.id, email: contact.email, name: contact.name, customAttributes: contact.customAttributes, message: input.content });
      const record: WidgetConversation = { conversationId, widgetId, token: randomBytes(24).toString("base64url"), userId: contact.userId, ...(input.flow ? { flow: input.flow } : {}) };
      started.set(conversationId, record);
      const conversation = state.conversation(conversationId)!;
      botTurn(conversation, widgetId, input.content);
      return { status: 201, body: { conversation_id: conversationId, token: record.token, ...transcript(conversation, 0) } };
    }

    const conversationPath = /^\/conversations\/([^/]+)\/(messages|identity)$/.exec(path);
    if (!conversationPath) return { status: 404, body: { error: "no such widget endpoint" } };
    const owned = ownConversation(req, decodeURIComponent(conversationPath[1]));
    if ("status" in owned) return owned;
    const { record, conversation } = owned;

    if (conversationPath[2] === "messages" && method === "GET") {
      const after = Number(url.searchParams.get("after") ?? 0) || 0;
      await nextMessage(res, conversation, after, Number(url.searchParams.get("wait") ?? 0) || 0);
      return { status: 200, body: transcript(conversation, after) };
    }
    if (conversationPath[2] === "messages" && method === "POST") {
      const { content } = WriteSchema.parse(body);
      const { messageId } = state.shopperWrites(conversation.id, content);
      botTurn(conversation, record.widgetId, content);
      const position = conversation.messages.findIndex((m) => m.id === messageId);
      return { status: 201, body: { message: widgetMessageJson(conversation.messages[position], position) } };
    }
    if (conversationPath[2] === "identity" && method === "PUT") {
      const contact = contactFromIdentity(IdentifySchema.parse(body).identity);
      // A new token for the same shopper (the page renewed it): the contact carries the fresh one.
      if (contact.userId !== record.userId) return { status: 409, body: { error: "this conversation belongs to another visitor: start a new one" } };
      const stored = state.contact(conversation.contactId);
      if (stored) state.updateContact(stored, contact.customAttributes as Record<string, string | number | boolean | null>);
      return { status: 200, body: { ok: true } };
    }
    return { status: 405, body: { error: "method not allowed" } };
  }

  return {
    /** Answers /widget/…; the body was read and parsed by the server. */
    async handle(req: IncomingMessage, res: ServerResponse, url: URL, body: { json: unknown; invalid: boolean }) {
      const cors = { "access-control-allow-origin": String(req.headers.origin ?? "*"), vary: "Origin" };
      if (url.pathname === "/widget/loader.js" && req.method === "GET") {
        res.writeHead(200, { "content-type": "text/javascript; charset=utf-8", "cache-control": "no-cache" }).end(LOADER_SOURCE);
        return;
      }
      if (!url.pathname.startsWith("/widget/api/")) return sendJson(res, 404, { error: "not found" }, cors);
      if (req.method === "OPTIONS") {
        res.writeHead(204, { ...cors, "access-control-allow-methods": "GET, POST, PUT", "access-control-allow-headers": "authorization, content-type, x-visitor-user", "access-control-max-age": "600" }).end();
        return;
      }
      if (body.invalid) return sendJson(res, 400, { error: "body: not valid JSON" }, cors);
      try {
        const { status, body: answerBody } = await answer(req, res, url, body.json);
        sendJson(res, status, answerBody, cors);
      } catch (error) {
        if (!(error instanceof z.ZodError)) throw error;
        const issue = error.issues[0];
        log?.debug({ path: url.pathname }, "widget request refused");
        sendJson(res, 400, { error: `${issue.path.join(".") || "body"}: ${issue.message}` }, cors);
      }
    },

    /** Every event the state announces: a new message wakes the widgets polling that conversation. */
    announced(event: AnnouncedEvent) {
      if (event.type !== "message.created") return;
      for (const wake of [...(waiting.get(String(event.data.conversation_id)) ?? [])]) wake();
    },

    inspect: {
      /** The widget conversation's flow (from `startFlow`), and the user id it was started as. */
      conversation: (conversationId: string) => {
        const record = started.get(conversationId);
        return record ? { widgetId: record.widgetId, userId: record.userId, flow: record.flow ?? null } : null;
      },
    },

    close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const listeners of waiting.values()) for (const wake of [...listeners]) wake();
    },
  };
}

export type ChatWidget = ReturnType<typeof createChatWidget>;

type Answer = { status: number; body?: unknown };

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>) {
  if (res.destroyed) return;
  res.writeHead(status, { ...headers, "content-type": "application/json" }).end(JSON.stringify(body));
}
