import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleepFor } from "node:timers/promises";
import type { Logger } from "../../app/logger.server";
import { createRandom } from "../shopify-admin/random";
import { createOscarApi, DEFAULT_PAGE_SIZE, messageJson, type ListEndpoints } from "./api";
import { answerControlRequest } from "./control";
import { createFaultInjector, type OscarSimFaults } from "./faults";
import { createAgentInbox, type CapturedSlackMessage } from "./inbox";
import { createRequestLog, keyIdOf, type KeyRequestStats } from "./request-log";
import { createOscarSimState, SimNotFound, type AnnouncedEvent, type OscarSimState } from "./state";
import { createWebhookSender, DEFAULT_DELIVERY_RETRY, type DeliveryRetry } from "./webhook-sender";
import { createChatWidget } from "./widget/widget-api";

/**
 * A local Oscar Chat: the /v1 API of the contract over real HTTP, with Oscar's key check, rate
 * limit and webhooks, plus a scenario API (what shoppers, the bot and agents do), an inspection
 * API (what the app changed) and fault injection, under /_sim/… and as methods.
 */

export type OscarSimulatorOptions = {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** Keys Oscar knows; each gets its own account (workspace, bot, agents). */
  apiKeys?: string[];
  /** Any non-empty key is accepted and gets a fresh account on first use (for running the app by hand). */
  acceptAnyKey?: boolean;
  /** Oscar's limit per key, counted by arrival time. Default 300 per 60 s. */
  rateLimit?: { limit: number; windowMs: number };
  faults?: OscarSimFaults;
  deliveryRetry?: Partial<DeliveryRetry>;
  /**
   * How webhooks arrive. "realistic" (the default, as real senders behave): about 10% of events
   * delivered twice and about 30% of new conversations' conversation.created held back until their
   * first message.created was delivered. "calm": every event once, in order (for tests about something else).
   */
  delivery?: "realistic" | "calm";
  /** Overrides the share of webhook events delivered a second time. */
  duplicateDeliveryRate?: number;
  /** Overrides the share of conversation.created events delivered after the conversation's next event. */
  outOfOrderRate?: number;
  /** Seed for webhook jitter, duplicates and reordering, so a run can be repeated. */
  seed?: number;
  /** The simulator's clock (ms), for tests of its time-based rules. */
  now?: () => number;
  /** Items per page of a list when the caller gives no `limit` (**assumed**: 20, at most 100). */
  pageSize?: number;
  /** "absent": GET /widgets, /bots and /agents answer 404, as an Oscar without those (**assumed**) endpoints. Default "present". */
  listEndpoints?: ListEndpoints;
  logger?: Logger;
  /** The chat widget's bot: how long it leaves an order question to the app (default 20 s). */
  widget?: { orderAnswerGraceMs?: number };
  /** The Slack messages the agent inbox shows (the sandbox's or a test's Slack receiver owns them). */
  slackMessages?: () => CapturedSlackMessage[];
};

export type OscarSimAccountInfo = { keyId: string; workspaceId: string; botId: string; botIds: string[]; agentIds: string[]; widgetIds: string[] };

export const DEFAULT_SIM_API_KEY = "oscar_sim_key";
export const REALISTIC_DUPLICATE_RATE = 0.1;
export const REALISTIC_OUT_OF_ORDER_RATE = 0.3;

export async function startOscarSimulator(options: OscarSimulatorOptions = {}) {
  const now = options.now ?? Date.now;
  const rateLimit = options.rateLimit ?? { limit: 300, windowMs: 60_000 };
  const knownKeyIds = new Set((options.apiKeys ?? (options.acceptAnyKey ? [] : [DEFAULT_SIM_API_KEY])).map(keyIdOf));
  const random = createRandom(options.seed ?? 1);
  const calm = options.delivery === "calm";
  const log = options.logger?.child({ component: "oscar-simulator" });

  const requests = createRequestLog({ ...rateLimit, now });
  const faults = createFaultInjector(options.faults);
  const sender = createWebhookSender({
    retry: { ...DEFAULT_DELIVERY_RETRY, ...options.deliveryRetry },
    duplicateRate: options.duplicateDeliveryRate ?? (calm ? 0 : REALISTIC_DUPLICATE_RATE),
    outOfOrderRate: options.outOfOrderRate ?? (calm ? 0 : REALISTIC_OUT_OF_ORDER_RATE),
    random,
    logger: log,
    now,
  });
  let eventCount = 0;
  const announce = (keyId: string, event: AnnouncedEvent) => {
    const delivery = { id: `evt_${++eventCount}`, ...event };
    for (const webhook of state.webhooksFor(keyId, event.type)) sender.deliver(webhook, delivery);
    widget.announced(event);
  };
  const state: OscarSimState = createOscarSimState({ now, announce });
  const api = createOscarApi(state, { pageSize: options.pageSize ?? DEFAULT_PAGE_SIZE, listEndpoints: options.listEndpoints });
  const widget = createChatWidget({ state, logger: log, ...options.widget });
  for (const keyId of knownKeyIds) state.openAccount(keyId);
  const inbox = createAgentInbox({ state, slackMessages: options.slackMessages ?? (() => []) });

  const accountInfo = (keyId: string): OscarSimAccountInfo => {
    const account = state.account(keyId);
    if (!account) throw new SimNotFound("no account for that key");
    return { keyId, workspaceId: account.workspace.id, botId: account.bot.id, botIds: account.bots.map((b) => b.id), agentIds: account.agents.map((a) => a.id), widgetIds: account.widgets.map((w) => w.id) };
  };
  const firstWorkspaceId = () => {
    const first = state.accounts()[0];
    if (!first) throw new SimNotFound("no account yet: call the API with a key first");
    return first.workspace.id;
  };
  const conversation = (id: string) => {
    const found = state.conversation(id);
    if (!found) throw new SimNotFound(`no conversation ${id}`);
    return found;
  };
  const botOf = (botId: string) => {
    const bot = state.accounts().flatMap((a) => a.bots).find((b) => b.id === botId);
    if (!bot) throw new SimNotFound(`no bot ${botId}`);
    return bot;
  };

  const scenario = {
    /** A shopper starts a chat: contact (found by email or created) + conversation.created (+ message.created). */
    shopperOpensConversation: (input: {
      email: string;
      name: string;
      message?: string;
      customAttributes?: Record<string, unknown>;
      workspaceId?: string;
      at?: number;
    }) => state.shopperOpensConversation({ ...input, workspaceId: input.workspaceId ?? firstWorkspaceId() }),
    shopperWrites: (conversationId: string, content: string, at?: number) => state.shopperWrites(conversationId, content, at),
    agentReplies: (conversationId: string, content: string, at?: number) => state.agentReplies(conversationId, content, at),
    /** A private note from the named agent, as written in Oscar's inbox (its message.created names the agent). */
    agentWritesNote: (conversationId: string, content: string, agentId: string, at?: number) => state.agentWritesNote(conversationId, content, agentId, at),
    botEscalates: (conversationId: string, reason: string, at?: number) => state.botEscalates(conversationId, reason, at),
    agentAssigned: (conversationId: string, agentId?: string, at?: number) => state.agentAssigned(conversationId, agentId, at),
    agentResolves: (conversationId: string, resolution?: { csatScore?: number; at?: number }) => state.agentResolves(conversationId, resolution),
  };

  const inspect = {
    accounts: (): OscarSimAccountInfo[] => state.accounts().map((a) => accountInfo(a.keyId)),
    messages: (conversationId: string) => conversation(conversationId).messages.map(messageJson),
    /** Private messages: what the app (or an agent) wrote for agents only. */
    notes: (conversationId: string) => conversation(conversationId).messages.filter((m) => m.private).map(messageJson),
    labels: (conversationId: string) => [...conversation(conversationId).labels],
    assignments: (conversationId: string) => conversation(conversationId).assignments.map((a) => ({ ...a })),
    contact: (contactId: string) => {
      const contact = state.contact(contactId);
      if (!contact) throw new SimNotFound(`no contact ${contactId}`);
      return state.contactJson(contact);
    },
    knowledgeSources: (botId: string) => botOf(botId).sources.map((s) => ({ ...s })),
    syncCalls: (botId: string) => botOf(botId).syncs.map((s) => ({ ...s })),
    /** Registered webhooks, without their secrets. */
    webhooks: () => state.webhooks().map(({ id, url, events }) => ({ id, url, events: [...events] })),
    webhookDeliveries: () => sender.attempts(),
    /** What was decided for each announced event (held back, delivered twice), in announce order. */
    webhookPlan: () => sender.plan(),
    requestsByKeyId: (keyId: string): KeyRequestStats => requests.stats(keyId),
    injectedFaults: () => faults.counts(),
  };

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", "http://oscar.local");
    if (inbox.handles(url)) return inbox.answer(req, res, url);
    const body = await readBody(req);
    if (url.pathname.startsWith("/widget/")) return widget.handle(req, res, url, body);
    if (url.pathname.startsWith("/_sim/")) {
      const answer = answerControlRequest(simulator, req.method ?? "GET", url, body);
      return send(res, answer.status, answer.body);
    }
    if (!url.pathname.startsWith("/v1/")) return send(res, 404, { error: "not found" });

    const key = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1] ?? "";
    const keyId = key ? keyIdOf(key) : "no-key";
    const arrivedAt = requests.record(keyId);
    const outcome = await answerApi(req, res, url, body, key, keyId, arrivedAt);
    requests.finish(keyId, outcome);
    log?.debug({ method: req.method, path: url.pathname, keyId, outcome }, "oscar simulator request");
  }

  async function answerApi(req: IncomingMessage, res: ServerResponse, url: URL, body: ParsedBody, key: string, keyId: string, arrivedAt: number) {
    if (!key || !(knownKeyIds.has(keyId) || options.acceptAnyKey)) return send(res, 401, { error: "Invalid API key" });
    state.openAccount(keyId);
    const admission = requests.admit(keyId, arrivedAt);
    if (!admission.admitted) {
      return send(res, 429, { error: "Rate limit exceeded" }, { "retry-after": String(admission.retryAfterSeconds) });
    }

    const method = req.method ?? "GET";
    const plan = faults.plan(api.isWrite(method));
    if (plan.dropBeforeApply) return drop(res);
    if (plan.refuse) {
      const headers = plan.refuse.retryAfterSeconds === undefined ? undefined : { "retry-after": String(plan.refuse.retryAfterSeconds) };
      return send(res, plan.refuse.status, { error: "Injected failure" }, headers);
    }
    if (body.invalid) return send(res, 400, { error: "body: not valid JSON" });

    const answer = api.answer({ method, path: url.pathname.slice("/v1".length), query: url.searchParams, body: body.json, keyId });
    if (plan.dropAfterApply) return drop(res);
    if (plan.delayMs > 0) await sleepFor(plan.delayMs);
    const other = plan.replaceAnswer;
    if (other && answer.status < 300) {
      if (other.text === undefined) return send(res, other.status, other.body);
      res.writeHead(other.status, { "content-type": "text/plain" }).end(other.text);
      return other.status;
    }
    return send(res, answer.status, answer.body);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log?.error({ err: error }, "oscar simulator failed on a request");
      if (!res.headersSent) send(res, 500, { error: "simulator error" });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const { port, address } = server.address() as AddressInfo;
  const origin = `http://${address.includes(":") ? `[${address}]` : address}:${port}`;

  const simulator = {
    url: origin,
    baseUrl: `${origin}/v1`,
    /** The chat widget's loader, for the theme embed's loader URL (see sim/oscar/widget/). */
    widgetLoaderUrl: `${origin}/widget/loader.js`,
    widget: widget.inspect,
    state,
    rateLimit,
    scenario,
    inspect: {
      ...inspect,
      /** What the simulator saw from this key (arrival times, outcomes, 429s of its own rate limit). */
      requests: (apiKey: string): KeyRequestStats => requests.stats(keyIdOf(apiKey)),
    },
    keyIds: () => requests.keyIds(),
    accountFor: (apiKey: string) => accountInfo(keyIdOf(apiKey)),
    setFaults: (next: OscarSimFaults) => faults.set(next),
    /** Turns the widget, bot and agent list calls on or off while running (a browser test flips it through /_sim/list-endpoints). */
    setListEndpoints: (next: ListEndpoints) => api.setListEndpoints(next),
    listEndpoints: () => api.listEndpoints(),
    faults: () => faults.current(),
    /** Resolves when every webhook delivery (retries and duplicates included) is over. */
    webhooksIdle: () => sender.idle(),
    async close() {
      sender.close();
      widget.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await sender.idle();
    },
  };
  return simulator;
}

export type OscarSimulator = Awaited<ReturnType<typeof startOscarSimulator>>;

type ParsedBody = { json: unknown; invalid: boolean };

async function readBody(req: IncomingMessage): Promise<ParsedBody> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  if (text.trim() === "") return { json: undefined, invalid: false };
  try {
    return { json: JSON.parse(text), invalid: false };
  } catch {
    return { json: undefined, invalid: true };
  }
}

function send(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): number {
  if (res.destroyed) return status;
  const text = body === undefined ? "" : JSON.stringify(body);
  res.writeHead(status, { ...headers, ...(text ? { "content-type": "application/json" } : {}) });
  res.end(text);
  return status;
}

/** No answer at all: the client sees the connection close under it. */
function drop(res: ServerResponse): "dropped" {
  res.socket?.destroy();
  return "dropped";
}
