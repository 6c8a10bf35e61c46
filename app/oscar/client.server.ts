import { createHash } from "node:crypto";
import { setTimeout as sleepFor } from "node:timers/promises";
import type { z } from "zod";
import type { Logger } from "../logger.server";
import {
  AddLabelsRequestSchema,
  AssignConversationRequestSchema,
  ListAgentsResponseSchema,
  ListBotsResponseSchema,
  ListWidgetsResponseSchema,
  OSCAR_LIST_ROUTES,
  AssignmentSchema,
  BotSyncResponseSchema,
  CreateKnowledgeSourceRequestSchema,
  CreateWebhookRequestSchema,
  ConversationSchema,
  KnowledgeSourceSchema,
  LabelsResponseSchema,
  ListConversationsQuerySchema,
  ListConversationsResponseSchema,
  ListKnowledgeSourcesResponseSchema,
  ListWorkspacesResponseSchema,
  MessageSchema,
  PostMessageRequestSchema,
  ReportSummarySchema,
  UpdateContactRequestSchema,
  WebhookSchema,
  ContactSchema,
  type Agent,
  type Assignment,
  type Bot,
  type BotSync,
  type Contact,
  type Conversation,
  type ConversationInclude,
  type CreateKnowledgeSourceRequest,
  type CreateWebhookRequest,
  type CustomAttributes,
  type KnowledgeSource,
  type ListConversationsQuery,
  type Message,
  type Page,
  type PostMessageRequest,
  type ReportSummary,
  type Webhook,
  type Widget,
  type Workspace,
} from "./contract";
import {
  OscarError,
  OscarKeyRejectedError,
  OscarNotFoundError,
  OscarRequestError,
  OscarTransientError,
  type OscarResource,
} from "./errors";
import type { OscarJobStarts, OscarRateLimiter } from "./rate-limit.server";

/**
 * The Oscar Chat API client: one typed method per endpoint, bodies checked against contract.ts.
 *
 * Retries. Transient failures (429, 5xx, a dropped connection, a timeout) are retried with
 * exponential backoff and full jitter, never sooner than Retry-After, within `maxAttempts` HTTP
 * requests and `maxTotalMs` (time spent waiting for a rate-limit slot does not count). Permanent
 * failures (401/403, 404, other 4xx, an answer of the wrong shape) are thrown at once. Every
 * request, retries and read-backs included, first takes a slot from the shared rate limiter.
 *
 * No duplicate writes. Oscar has no idempotency-key header, so after a failure that may have been
 * applied (a 5xx, a dropped connection or a timeout; not a 429) the client looks before it writes again:
 * - messages and notes: the caller gives an idempotency key; the client appends a short marker
 *   derived from it (`oc-<16 hex>`, a hash, so the key's text never reaches Oscar) to the content,
 *   then reads the conversation's messages back and returns the one carrying the marker if it exists;
 * - assignments: reads the conversation's assignee back; if it is already the wanted agent, done;
 * - knowledge sources: lists the bot's sources; one with the same type and name counts as created;
 * - labels are added as a set and contact attributes are merged, so repeating them changes nothing;
 * - deletes: a 404 after an earlier attempt that may have been applied means "already deleted";
 * - webhooks and bot syncs are simply retried: Oscar offers no way to list webhooks, a second
 *   registration only causes duplicate deliveries (which the ingest route drops by event id), and a
 *   second sync only retrains again.
 * A caller that may be repeating a write an earlier run already sent (a retried job) passes
 * `checkFirst: true`, so the look-before-write also happens before the first attempt.
 *
 * Assumed shapes are not requirements. Where contract.ts marks an answer **assumed** (assignments,
 * labels, contact updates, deletes, syncs), any 2xx is success: a body of another shape is logged
 * (field names and status only, never values) and the method returns what the app already knows.
 *
 * Lists are paginated (**assumed**, see contract.ts): the client follows `meta.next_page` to the end
 * (at most MAX_PAGES pages), and the look for a note's marker reads every page of messages.
 *
 * Assumed facts about Oscar (the public material does not state them; shapes are in contract.ts):
 * - 429 answers carry Retry-After in seconds (an HTTP date is accepted too), and a 429'd request was
 *   not applied;
 * - every request counts against the key's 300 a minute, refused ones (401, 429, other 4xx) too, so
 *   the limiter paces every attempt, retries and read-backs included (the simulator enforces this);
 * - error bodies are `{ error }`; their text may echo what was sent, so it is never shown or logged;
 * - DELETE answers 204; POST /bots/{bot}/sync may answer with no body;
 * - GET /conversations/{id}?include=messages returns the conversation's latest messages, older ones
 *   on the following pages (`page`, `meta.next_page`);
 * - POST /labels adds to the existing set; PATCH /contacts merges custom attributes.
 */

export type OscarRetryPolicy = {
  maxAttempts: number;
  maxTotalMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
};

export const DEFAULT_OSCAR_RETRY: OscarRetryPolicy = { maxAttempts: 5, maxTotalMs: 30_000, baseDelayMs: 500, maxDelayMs: 10_000 };
export const DEFAULT_OSCAR_TIMEOUT_MS = 10_000;

export type OscarClientOptions = {
  /** e.g. https://api.oscarchat.ai/v1 (OSCAR_API_BASE), or the simulator's baseUrl. */
  baseUrl: string;
  apiKey: string;
  limiter: OscarRateLimiter;
  /** Paces the starts of jobs on this key (workers); without it every job may start at once. */
  jobStarts?: OscarJobStarts;
  logger: Logger;
  fetch?: typeof fetch;
  timeoutMs?: number;
  retry?: Partial<OscarRetryPolicy>;
  sleep?: (ms: number) => Promise<void>;
  /** A float in [0, 1), for backoff jitter. */
  random?: () => number;
  now?: () => number;
};

/** For writes that must not happen twice. */
export type OscarWriteOptions = {
  /** Look for the write's effect before the first attempt too: set it when an earlier run may have sent it. */
  checkFirst?: boolean;
};

export type OscarMessageOptions = OscarWriteOptions & {
  /**
   * Identifies this message across retries and job runs (e.g. `${eventId}:enrichment`). Only its
   * hash is sent, appended to the content as `oc-<16 hex>`.
   */
  idempotencyKey: string;
};

export type OscarClient = {
  /** Books when a job expected to make this many requests may start: ms from now (0: at once). */
  bookJobStart(expectedRequests: number): Promise<number>;
  listWorkspaces(): Promise<Workspace[]>;
  /** The account's chat widgets, every page (**assumed** endpoint path; see contract.ts). */
  listWidgets(): Promise<Widget[]>;
  /** The account's bots, every page (**assumed** endpoint). */
  listBots(): Promise<Bot[]>;
  /** The account's agents, every page (**assumed** endpoint). */
  listAgents(): Promise<Agent[]>;
  createWebhook(webhook: CreateWebhookRequest): Promise<Webhook>;
  deleteWebhook(webhookId: string): Promise<void>;
  /** Every page of the list. */
  listConversations(workspaceId: string, query?: Omit<ListConversationsQuery, "page">): Promise<Conversation[]>;
  /** With "messages": every page of them, oldest first. */
  getConversation(conversationId: string, include?: ConversationInclude[]): Promise<Conversation>;
  postMessage(conversationId: string, message: PostMessageRequest, options: OscarMessageOptions): Promise<Message>;
  assignConversation(conversationId: string, assigneeId: string, options?: OscarWriteOptions): Promise<Assignment>;
  /** Returns the conversation's whole label set. */
  addLabels(conversationId: string, labels: string[]): Promise<string[]>;
  updateContact(contactId: string, customAttributes: CustomAttributes): Promise<Contact>;
  createKnowledgeSource(botId: string, source: CreateKnowledgeSourceRequest, options?: OscarWriteOptions): Promise<KnowledgeSource>;
  listKnowledgeSources(botId: string): Promise<KnowledgeSource[]>;
  deleteKnowledgeSource(botId: string, sourceId: string): Promise<void>;
  syncBot(botId: string): Promise<BotSync>;
  /** Counts for conversations between `since` and `until`. */
  getReportSummary(workspaceId: string, period: { since: Date; until: Date }): Promise<ReportSummary>;
};

/** The marker a message posted with this idempotency key carries in its content. */
export function idempotencyMarker(idempotencyKey: string): string {
  return `oc-${createHash("sha256").update(idempotencyKey).digest("hex").slice(0, 16)}`;
}

/** Appends the marker: as an HTML comment in HTML (invisible), as a last line otherwise. */
export function withIdempotencyMarker(message: PostMessageRequest, marker: string): PostMessageRequest {
  const suffix = message.content_type === "html" ? `<!-- ${marker} -->` : `\n\nref: ${marker}`;
  return { ...message, content: `${message.content}${suffix}` };
}

// ---------------------------------------------------------------------------------------------

type Method = "GET" | "POST" | "PATCH" | "DELETE";

type OscarRequest<T> = {
  /** What the merchant would call it, for error messages: "post a message". */
  action: string;
  /** What a 404 means. */
  resource: OscarResource;
  method: Method;
  /** Path template with {name} placeholders; logged as is, so ids never reach the logs. */
  route: string;
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  /** null: the answer has no body (204). */
  response: z.ZodType<T> | null;
  /** Answers with an empty body read as {} (for endpoints that may or may not return one). */
  emptyBodyAs?: unknown;
  /**
   * The answer's shape is only **assumed**: a 2xx body that does not match is still a success
   * (the write happened), so it is logged and this is returned instead of failing the call.
   */
  whenUnexpected?: () => T;
};

/** A guard against a list whose pages never end (a next_page that loops). */
export const MAX_PAGES = 50;

/** One attempt failed in a way a later attempt may not. */
class TransientFailure extends Error {
  constructor(
    readonly reason: "rate-limited" | "unavailable" | "timeout" | "network",
    readonly mayHaveApplied: boolean,
    readonly status?: number,
    readonly retryAfterMs?: number,
  ) {
    super(reason);
  }
}

type Send = <T>(request: OscarRequest<T>) => Promise<T>;
/** `suspectApplied`: an earlier attempt of this call may have been applied. */
type Operation<T> = (send: Send, suspectApplied: boolean) => Promise<T>;

export function createOscarClient(options: OscarClientOptions): OscarClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const { apiKey, limiter } = options;
  const logger = options.logger.child({ component: "oscar-client" });
  const fetchImpl = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? DEFAULT_OSCAR_TIMEOUT_MS;
  const retry = { ...DEFAULT_OSCAR_RETRY, ...options.retry };
  const sleep = options.sleep ?? ((ms: number) => sleepFor(ms));
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;

  async function sendOnce<T>(request: OscarRequest<T>): Promise<T> {
    const url = new URL(baseUrl + pathOf(request));
    for (const [name, value] of Object.entries(request.query ?? {})) url.searchParams.set(name, value);

    const headers: Record<string, string> = { authorization: `Bearer ${apiKey}`, accept: "application/json" };
    if (request.body !== undefined) headers["content-type"] = "application/json";
    const started = now();
    let response: Response;
    let text: string;
    try {
      response = await fetchImpl(url, {
        method: request.method,
        headers,
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      throw failureOfFetch(error);
    }
    logger.debug({ method: request.method, route: request.route, status: response.status, ms: now() - started }, "oscar answered");

    if (response.ok) return readAnswer(request, response.status, text);
    if (response.status === 401 || response.status === 403) throw new OscarKeyRejectedError(response.status);
    if (response.status === 404) throw new OscarNotFoundError(request.resource);
    if (response.status === 429) {
      throw new TransientFailure("rate-limited", false, 429, parseRetryAfter(response.headers.get("retry-after"), now()));
    }
    if (response.status >= 500) {
      throw new TransientFailure("unavailable", true, response.status, parseRetryAfter(response.headers.get("retry-after"), now()));
    }
    throw new OscarRequestError(`Oscar refused to ${request.action} (HTTP ${response.status})`, response.status);
  }

  /** Runs an operation, retrying its transient failures; each HTTP request counts as one attempt. */
  async function run<T>(action: string, operation: Operation<T>, checkFirst = false): Promise<T> {
    let attempts = 0;
    let waitedForSlots = 0;
    const started = now();
    let suspectApplied = checkFirst;

    const send: Send = async (request) => {
      attempts += 1;
      const waitStarted = now();
      try {
        await limiter.acquire(apiKey);
      } catch {
        throw new OscarTransientError(`Could not ${action}: the Oscar rate limiter cannot reach Redis`, { attempts: attempts - 1 });
      }
      waitedForSlots += now() - waitStarted;
      return sendOnce(request);
    };

    for (;;) {
      try {
        return await operation(send, suspectApplied);
      } catch (error) {
        if (!(error instanceof TransientFailure)) throw error;
        suspectApplied ||= error.mayHaveApplied;
        const backoff = random() * Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempts - 1));
        const delayMs = Math.ceil(Math.max(backoff, error.retryAfterMs ?? 0));
        const spentMs = now() - started - waitedForSlots;
        if (attempts >= retry.maxAttempts || spentMs + delayMs > retry.maxTotalMs) {
          throw finalError(action, error, attempts);
        }
        logger.warn({ action, attempt: attempts, reason: error.reason, status: error.status, delayMs }, "retrying an Oscar request");
        await sleep(delayMs);
      }
    }
  }

  /** A 2xx answer as the contract says, or, for an assumed shape, the stand-in value and a log line. */
  function readAnswer<T>(request: OscarRequest<T>, status: number, text: string): T {
    const answer = parseAnswer(request, text);
    if (answer.ok) {
      if (request.response === null && (status !== 204 || text.trim() !== "")) {
        logger.info({ action: request.action, route: request.route, status }, "oscar answered a delete with a body; the app expected 204 and treats it as done");
      }
      return answer.value;
    }
    if (!request.whenUnexpected) {
      throw new OscarRequestError(`Oscar's answer when asked to ${request.action} did not have the expected shape`);
    }
    // Only field paths and issue codes: the body itself may hold customer data.
    logger.warn(
      { action: request.action, route: request.route, status, body: answer.body, unexpected: answer.issues },
      "oscar answered with a shape the app did not expect; the call succeeded, so the app goes on",
    );
    return request.whenUnexpected();
  }

  /** Reads a list to its last page (each page is one request, paced and retried like any other). */
  async function allPages<T>(send: Send, first: OscarRequest<Page<T>>): Promise<T[]> {
    const items: T[] = [];
    let answer = await send(first);
    for (let pages = 1; ; pages++) {
      items.push(...answer.data);
      const next = nextPageAfter(answer.meta, pages, first);
      if (next === undefined) return items;
      answer = await send(onPage(first, next));
    }
  }

  /** The page after this one, or undefined at the end (or when the pages would go round in circles). */
  function nextPageAfter(meta: Page<unknown>["meta"], pagesRead: number, request: OscarRequest<unknown>): number | undefined {
    const next = meta?.next_page ?? undefined;
    const current = meta?.page ?? pagesRead;
    if (next === undefined || next <= current) return undefined;
    if (pagesRead >= MAX_PAGES) {
      logger.warn({ action: request.action, route: request.route, pages: pagesRead }, "oscar list has more pages than the app reads; stopped");
      return undefined;
    }
    return next;
  }

  /** Messages of a conversation, page by page from the latest, until `wanted` says stop. */
  async function conversationMessages(send: Send, conversationId: string, include: ConversationInclude[], wanted: (m: Message) => boolean) {
    const pages: Message[][] = [];
    let conversation = await send(readConversation(conversationId, include));
    for (let read = 1; ; read++) {
      pages.push(conversation.messages ?? []);
      const next = conversation.messages?.some(wanted) ? undefined : nextPageAfter(conversation.meta, read, readConversation(conversationId, include));
      if (next === undefined) break;
      conversation = await send(readConversation(conversationId, include, next));
    }
    // Page 1 holds the latest messages; a message that arrived while reading may appear twice.
    const seen = new Set<string>();
    const messages = pages.reverse().flat().filter((m) => !seen.has(m.id) && seen.add(m.id));
    return { ...conversation, messages, meta: undefined };
  }

  const request = <T>(r: OscarRequest<T>) => run(r.action, (send) => send(r));

  /** One of the account's lists (widgets, bots, agents), every page. */
  const accountList = <T>(action: string, resource: OscarResource, route: string, response: z.ZodType<Page<T>>) => {
    const list: OscarRequest<Page<T>> = { action, resource, method: "GET", route, response };
    return run(action, (send) => allPages(send, list));
  };

  /** A write that must not happen twice: when it may already have been applied, look for its effect first. */
  const writeOnce = <T>(write: OscarRequest<T>, checkFirst: boolean | undefined, findApplied: (send: Send) => Promise<T | undefined>) =>
    run(write.action, async (send, suspectApplied) => (suspectApplied ? await findApplied(send) : undefined) ?? send(write), checkFirst);

  // Every method is async, so a body the app built wrongly is a rejected promise like any other failure.
  return {
    async bookJobStart(expectedRequests) {
      return options.jobStarts ? options.jobStarts.book(apiKey, expectedRequests) : 0;
    },

    async listWorkspaces() {
      const list: OscarRequest<Page<Workspace>> = {
        action: "list the workspaces",
        resource: "workspace",
        method: "GET",
        route: "/workspaces",
        response: ListWorkspacesResponseSchema,
      };
      return run(list.action, (send) => allPages(send, list));
    },

    async listWidgets() {
      return accountList("list the widgets", "widget list", OSCAR_LIST_ROUTES.widgets, ListWidgetsResponseSchema);
    },

    async listBots() {
      return accountList("list the bots", "bot list", OSCAR_LIST_ROUTES.bots, ListBotsResponseSchema);
    },

    async listAgents() {
      return accountList("list the agents", "agent list", OSCAR_LIST_ROUTES.agents, ListAgentsResponseSchema);
    },

    async createWebhook(webhook) {
      return request({
        action: "register the webhook",
        resource: "webhook",
        method: "POST",
        route: "/webhooks",
        body: validBody(CreateWebhookRequestSchema, webhook, "webhook"),
        response: WebhookSchema,
      });
    },

    async deleteWebhook(webhookId) {
      const remove: OscarRequest<undefined> = {
        action: "delete the webhook",
        resource: "webhook",
        method: "DELETE",
        route: "/webhooks/{id}",
        params: { id: webhookId },
        response: null,
      };
      await run(remove.action, (send, suspectApplied) => alreadyGoneIsDone(send(remove), suspectApplied));
    },

    async listConversations(workspaceId, query = {}) {
      const valid = validBody(ListConversationsQuerySchema, query, "conversation filter");
      const list: OscarRequest<Page<Conversation>> = {
        action: "list the conversations",
        resource: "workspace",
        method: "GET",
        route: "/workspaces/{ws}/conversations",
        params: { ws: workspaceId },
        query: definedAsStrings(valid),
        response: ListConversationsResponseSchema,
      };
      return run(list.action, (send) => allPages(send, list));
    },

    async getConversation(conversationId, include = []) {
      if (!include.includes("messages")) return request(readConversation(conversationId, include));
      return run("read the conversation", (send) => conversationMessages(send, conversationId, include, () => false));
    },

    async postMessage(conversationId, message, { idempotencyKey, checkFirst }) {
      const marker = idempotencyMarker(idempotencyKey);
      const body = validBody(PostMessageRequestSchema, withIdempotencyMarker(message, marker), "message");
      const post: OscarRequest<Message> = {
        action: "post a message",
        resource: "conversation",
        method: "POST",
        route: "/conversations/{id}/messages",
        params: { id: conversationId },
        body,
        response: MessageSchema,
      };
      return writeOnce(post, checkFirst, async (send) => {
        const carriesMarker = (m: Message) => m.content?.includes(marker) ?? false;
        return (await conversationMessages(send, conversationId, ["messages"], carriesMarker)).messages.find(carriesMarker);
      });
    },

    async assignConversation(conversationId, assigneeId, { checkFirst } = {}) {
      const assign: OscarRequest<Assignment> = {
        action: "assign the conversation",
        resource: "conversation",
        method: "POST",
        route: "/conversations/{id}/assignments",
        params: { id: conversationId },
        body: validBody(AssignConversationRequestSchema, { assignee_id: assigneeId }, "assignment"),
        response: AssignmentSchema,
        whenUnexpected: () => ({ conversation_id: conversationId, assignee_id: assigneeId }),
      };
      return writeOnce(assign, checkFirst, async (send) => {
        const conversation = await send(readConversation(conversationId, ["assignee"]));
        return conversation.assignee?.id === assigneeId ? { conversation_id: conversation.id, assignee_id: assigneeId } : undefined;
      });
    },

    async addLabels(conversationId, labels) {
      const answer = await request({
        action: "add labels",
        resource: "conversation",
        method: "POST",
        route: "/conversations/{id}/labels",
        params: { id: conversationId },
        body: validBody(AddLabelsRequestSchema, { labels }, "labels"),
        response: LabelsResponseSchema,
        // Only the labels just added are known for sure.
        whenUnexpected: () => ({ labels }),
      });
      return answer.labels;
    },

    async updateContact(contactId, customAttributes) {
      return request({
        action: "update the contact",
        resource: "contact",
        method: "PATCH",
        route: "/contacts/{id}",
        params: { id: contactId },
        body: validBody(UpdateContactRequestSchema, { custom_attributes: customAttributes }, "contact update"),
        response: ContactSchema,
        whenUnexpected: () => ({ id: contactId, custom_attributes: customAttributes }),
      });
    },

    async createKnowledgeSource(botId, source, { checkFirst } = {}) {
      const create: OscarRequest<KnowledgeSource> = {
        action: "add a knowledge source",
        resource: "bot",
        method: "POST",
        route: "/bots/{bot}/knowledge_sources",
        params: { bot: botId },
        body: validBody(CreateKnowledgeSourceRequestSchema, source, "knowledge source"),
        response: KnowledgeSourceSchema,
      };
      return writeOnce(create, checkFirst, async (send) => {
        const existing = await allPages(send, listSources(botId));
        return existing.find((s) => s.type === source.type && s.name === source.name);
      });
    },

    async listKnowledgeSources(botId) {
      return run("list the knowledge sources", (send) => allPages(send, listSources(botId)));
    },

    async deleteKnowledgeSource(botId, sourceId) {
      const remove: OscarRequest<undefined> = {
        action: "delete the knowledge source",
        resource: "knowledge source",
        method: "DELETE",
        route: "/bots/{bot}/knowledge_sources/{id}",
        params: { bot: botId, id: sourceId },
        response: null,
      };
      await run(remove.action, (send, suspectApplied) => alreadyGoneIsDone(send(remove), suspectApplied));
    },

    async syncBot(botId) {
      return request({
        action: "retrain the bot",
        resource: "bot",
        method: "POST",
        route: "/bots/{bot}/sync",
        params: { bot: botId },
        response: BotSyncResponseSchema,
        emptyBodyAs: {},
        whenUnexpected: () => ({}),
      });
    },

    async getReportSummary(workspaceId, { since, until }) {
      return request({
        action: "read the report",
        resource: "workspace",
        method: "GET",
        route: "/workspaces/{ws}/reports/summary",
        params: { ws: workspaceId },
        query: { since: String(unixSeconds(since)), until: String(unixSeconds(until)), type: "account" },
        response: ReportSummarySchema,
      });
    },
  };
}

// ---------------------------------------------------------------------------------------------

function readConversation(conversationId: string, include: ConversationInclude[], page?: number): OscarRequest<Conversation> {
  const query: Record<string, string> = {};
  if (include.length) query.include = include.join(",");
  if (page !== undefined) query.page = String(page);
  return {
    action: "read the conversation",
    resource: "conversation",
    method: "GET",
    route: "/conversations/{id}",
    params: { id: conversationId },
    query: Object.keys(query).length ? query : undefined,
    response: ConversationSchema,
  };
}

function onPage<T>(request: OscarRequest<T>, page: number): OscarRequest<T> {
  return { ...request, query: { ...request.query, page: String(page) } };
}

function listSources(botId: string): OscarRequest<Page<KnowledgeSource>> {
  return {
    action: "list the knowledge sources",
    resource: "bot",
    method: "GET",
    route: "/bots/{bot}/knowledge_sources",
    params: { bot: botId },
    response: ListKnowledgeSourcesResponseSchema,
  };
}

async function alreadyGoneIsDone(deletion: Promise<unknown>, suspectApplied: boolean): Promise<void> {
  try {
    await deletion;
  } catch (error) {
    if (!(suspectApplied && error instanceof OscarNotFoundError)) throw error;
  }
}

function pathOf(request: OscarRequest<unknown>): string {
  return request.route.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = request.params?.[name];
    if (!value) throw new OscarRequestError(`Could not ${request.action}: the app gave no id for it`);
    return encodeURIComponent(value);
  });
}

type ParsedAnswer<T> = { ok: true; value: T } | { ok: false; body: string; issues: string[] };

function parseAnswer<T>(request: OscarRequest<T>, text: string): ParsedAnswer<T> {
  if (request.response === null) return { ok: true, value: undefined as T };
  let json: unknown = request.emptyBodyAs;
  if (text.trim() !== "" || request.emptyBodyAs === undefined) {
    try {
      json = JSON.parse(text);
    } catch {
      return { ok: false, body: text.trim() === "" ? "empty" : "not JSON", issues: [] };
    }
  }
  const parsed = request.response.safeParse(json);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issues = parsed.error.issues.map((issue) => `${issue.path.join(".") || "body"}: ${issue.code}`);
  return { ok: false, body: shapeOf(json), issues: [...new Set(issues)] };
}

/** What kind of JSON came back, named without any of its values. */
function shapeOf(json: unknown): string {
  if (Array.isArray(json)) return "array";
  if (json === null) return "null";
  if (typeof json === "object") return `object with ${Object.keys(json).length} field(s)`;
  return typeof json;
}

/** Checks what the app is about to send; a bad body is the app's bug, so it is permanent. */
function validBody<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const fields = [...new Set(parsed.error.issues.map((issue) => issue.path.join(".") || "body"))].join(", ");
  throw new OscarRequestError(`The app built an invalid ${what} for Oscar (${fields})`);
}

function definedAsStrings(values: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)]));
}

function unixSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

/** Retry-After as seconds (assumed) or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(header: string | null, nowMs: number): number | undefined {
  if (header === null || header.trim() === "") return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/** Refused connections never reached Oscar; anything else may have (the ambiguous case). */
const NOT_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

function failureOfFetch(error: unknown): TransientFailure {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
    return new TransientFailure("timeout", true);
  }
  const code = errorCode(error);
  return new TransientFailure("network", !(code && NOT_SENT_CODES.has(code)));
}

function errorCode(error: unknown): string | undefined {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") return code;
  }
  return undefined;
}

function finalError(action: string, failure: TransientFailure, attempts: number): OscarError {
  const why = {
    "rate-limited": `Oscar is limiting requests (HTTP 429)`,
    unavailable: `Oscar is unavailable (HTTP ${failure.status})`,
    timeout: "Oscar did not answer in time",
    network: "Oscar could not be reached",
  }[failure.reason];
  const tries = attempts === 1 ? "1 attempt" : `${attempts} attempts`;
  return new OscarTransientError(`Could not ${action}: ${why} after ${tries}`, {
    attempts,
    status: failure.status,
    retryAfterMs: failure.retryAfterMs,
  });
}
