import type { z } from "zod";
import {
  AddLabelsRequestSchema,
  AssignConversationRequestSchema,
  CreateKnowledgeSourceRequestSchema,
  CreateWebhookRequestSchema,
  GetConversationQuerySchema,
  ListConversationsQuerySchema,
  PageQuerySchema,
  PostMessageRequestSchema,
  ReportSummaryQuerySchema,
  UpdateContactRequestSchema,
  type Agent,
  type Assignment,
  type Bot,
  type BotSync,
  type Conversation,
  type KnowledgeSource,
  type Message,
  type Page,
  type ReportSummary,
  type Webhook,
  type Widget,
  type Workspace,
} from "../../app/oscar/contract";
import type { OscarSimState, SimAccount, SimConversation, SimKnowledgeSource, SimMessage } from "./state";

/**
 * The /v1 endpoints of the simulated Oscar, answering as the contract says. Bodies and queries are
 * checked with the same schemas the client uses; answers are typed with the contract's types.
 */

export type ApiRequest = { method: string; path: string; query: URLSearchParams; body: unknown; keyId: string };
export type ApiAnswer = { status: number; body?: unknown };

type Handler = (request: ApiRequest, params: string[]) => ApiAnswer;
type Route = { method: string; pattern: RegExp; handle: Handler };

const iso = (ms: number) => new Date(ms).toISOString();
const notFound = (what: string): ApiAnswer => ({ status: 404, body: { error: `${what} not found` } });

/** 400 with the first problem, as `{ error }`. */
class InvalidRequest extends Error {}

function valid<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new InvalidRequest(`${issue.path.join(".") || "body"}: ${issue.message}`);
}

export function messageJson(m: SimMessage): Message {
  return { id: m.id, content: m.content, message_type: m.messageType, content_type: m.contentType, private: m.private, created_at: iso(m.createdAt) };
}

function sourceJson(s: SimKnowledgeSource): KnowledgeSource {
  return { id: s.id, type: s.type, name: s.name, url: s.url ?? null, created_at: iso(s.createdAt) };
}

/** Items per page when the caller gives no `limit` (**assumed**). */
export const DEFAULT_PAGE_SIZE = 20;

/** One page of `items` (page numbers from 1), with the `meta` the contract assumes. */
function pageOfItems<T>(items: readonly T[], page: number, limit: number): Page<T> & { meta: { page: number; limit: number; next_page: number | null } } {
  const data = items.slice((page - 1) * limit, page * limit);
  return { data, meta: { page, limit, next_page: page * limit < items.length ? page + 1 : null } };
}

/**
 * Whether this Oscar answers the list calls for widgets, bots and agents (contract.ts marks them
 * **assumed**). "absent" answers them 404, as an Oscar without those endpoints would.
 */
export type ListEndpoints = "present" | "absent";
const LIST_PATHS = [/^\/widgets$/, /^\/bots$/, /^\/agents$/];

export function createOscarApi(state: OscarSimState, options: { pageSize: number; listEndpoints?: ListEndpoints } = { pageSize: DEFAULT_PAGE_SIZE }) {
  let listEndpoints: ListEndpoints = options.listEndpoints ?? "present";
  const pageQuery = (query: URLSearchParams) => {
    const { page = 1, limit = options.pageSize } = valid(PageQuerySchema, { page: query.get("page") ?? undefined, limit: query.get("limit") ?? undefined });
    return { page, limit };
  };

  function conversationJson(c: SimConversation, include: readonly string[], messagesPage?: { page: number; limit: number }): Conversation {
    const json: Conversation = { id: c.id, status: c.status, created_at: iso(c.createdAt), labels: [...c.labels] };
    if (include.includes("messages") && messagesPage) {
      // Page 1 holds the latest messages (each page in the order they were written), as chat inboxes scroll back.
      const newestFirst = [...c.messages].reverse();
      const { data, meta } = pageOfItems(newestFirst, messagesPage.page, messagesPage.limit);
      json.messages = data.reverse().map(messageJson);
      json.meta = meta;
    }
    const contact = state.contact(c.contactId);
    if (include.includes("contact") && contact) json.contact = state.contactJson(contact);
    if (include.includes("assignee")) {
      const agent = c.assigneeId ? state.agentOf(c.keyId, c.assigneeId) : undefined;
      json.assignee = agent ? { id: agent.id, name: agent.name } : null;
    }
    return json;
  }

  /** The account's own conversation, or nothing: another account's ids look like unknown ids. */
  const ownConversation = (keyId: string, id: string) => {
    const c = state.conversation(id);
    return c && c.keyId === keyId ? c : undefined;
  };
  const ownBot = (keyId: string, id: string) => state.account(keyId)?.bots.find((bot) => bot.id === id);
  const ownWorkspace = (keyId: string, id: string) => {
    const workspace = state.account(keyId)?.workspace;
    return workspace && workspace.id === id ? workspace : undefined;
  };

  /** GET of one of the account's lists, paged like every other list. */
  const accountList = (pattern: RegExp, items: (account: SimAccount) => unknown[]): Route => ({
    method: "GET",
    pattern,
    handle: ({ keyId, query }) => {
      const { page, limit } = pageQuery(query);
      return { status: 200, body: pageOfItems(items(state.openAccount(keyId)), page, limit) };
    },
  });

  const routes: Route[] = [
    accountList(/^\/widgets$/, (account): Widget[] => account.widgets.map((w) => ({ id: w.id, name: w.name, bot_id: w.botId }))),
    accountList(/^\/bots$/, (account): Bot[] => account.bots.map((b) => ({ id: b.id, name: b.name }))),
    accountList(/^\/agents$/, (account): Agent[] => account.agents.map((a) => ({ id: a.id, name: a.name }))),
    {
      method: "GET",
      pattern: /^\/workspaces$/,
      handle: ({ keyId, query }) => {
        const w = state.openAccount(keyId).workspace;
        const { page, limit } = pageQuery(query);
        const all: Workspace[] = [{ id: w.id, name: w.name, created_at: iso(w.createdAt), plan: w.plan }];
        return { status: 200, body: pageOfItems(all, page, limit) };
      },
    },
    {
      method: "POST",
      pattern: /^\/webhooks$/,
      handle: ({ keyId, body }) => {
        const webhook = state.createWebhook(keyId, valid(CreateWebhookRequestSchema, body));
        const json: Webhook = { id: webhook.id, url: webhook.url, events: webhook.events, secret: webhook.secret, created_at: iso(webhook.createdAt) };
        return { status: 201, body: json };
      },
    },
    {
      method: "DELETE",
      pattern: /^\/webhooks\/([^/]+)$/,
      handle: ({ keyId }, [id]) => {
        if (state.webhook(id)?.keyId !== keyId) return notFound("webhook");
        state.deleteWebhook(id);
        return { status: 204 };
      },
    },
    {
      method: "GET",
      pattern: /^\/workspaces\/([^/]+)\/conversations$/,
      handle: ({ keyId, query }, [workspaceId]) => {
        if (!ownWorkspace(keyId, workspaceId)) return notFound("workspace");
        const { status, page = 1, limit = options.pageSize } = valid(ListConversationsQuerySchema, Object.fromEntries(query));
        const all = state
          .conversationsOf(keyId)
          .filter((c) => !status || c.status === status)
          .sort((a, b) => b.createdAt - a.createdAt)
          .map((c) => conversationJson(c, []));
        return { status: 200, body: pageOfItems(all, page, limit) };
      },
    },
    {
      method: "GET",
      pattern: /^\/conversations\/([^/]+)$/,
      handle: ({ keyId, query }, [id]) => {
        const conversation = ownConversation(keyId, id);
        if (!conversation) return notFound("conversation");
        const { include = [], page = 1, limit = options.pageSize } = valid(GetConversationQuerySchema, Object.fromEntries(query));
        return { status: 200, body: conversationJson(conversation, include, { page, limit }) };
      },
    },
    {
      method: "POST",
      pattern: /^\/conversations\/([^/]+)\/messages$/,
      handle: ({ keyId, body }, [id]) => {
        const conversation = ownConversation(keyId, id);
        if (!conversation) return notFound("conversation");
        const message = state.postMessage(conversation, valid(PostMessageRequestSchema, body));
        return { status: 201, body: messageJson(message) };
      },
    },
    {
      method: "POST",
      pattern: /^\/conversations\/([^/]+)\/assignments$/,
      handle: ({ keyId, body }, [id]) => {
        const conversation = ownConversation(keyId, id);
        if (!conversation) return notFound("conversation");
        const { assignee_id } = valid(AssignConversationRequestSchema, body);
        const agent = state.agentOf(keyId, assignee_id);
        if (!agent) return { status: 422, body: { error: "assignee_id: no such agent in this account" } };
        const assignment = state.assignByApp(conversation, agent);
        const json: Assignment = { conversation_id: conversation.id, assignee_id: agent.id, created_at: iso(assignment.at) };
        return { status: 201, body: json };
      },
    },
    {
      method: "POST",
      pattern: /^\/conversations\/([^/]+)\/labels$/,
      handle: ({ keyId, body }, [id]) => {
        const conversation = ownConversation(keyId, id);
        if (!conversation) return notFound("conversation");
        const labels = state.addLabels(conversation, valid(AddLabelsRequestSchema, body).labels);
        return { status: 200, body: { labels } };
      },
    },
    {
      method: "PATCH",
      pattern: /^\/contacts\/([^/]+)$/,
      handle: ({ keyId, body }, [id]) => {
        const contact = state.contact(id);
        if (!contact || contact.keyId !== keyId) return notFound("contact");
        const { custom_attributes } = valid(UpdateContactRequestSchema, body);
        return { status: 200, body: state.contactJson(state.updateContact(contact, custom_attributes)) };
      },
    },
    {
      method: "POST",
      pattern: /^\/bots\/([^/]+)\/knowledge_sources$/,
      handle: ({ keyId, body }, [botId]) => {
        const bot = ownBot(keyId, botId);
        if (!bot) return notFound("bot");
        const source = state.addKnowledgeSource(bot, valid(CreateKnowledgeSourceRequestSchema, body));
        return { status: 201, body: sourceJson(source) };
      },
    },
    {
      method: "GET",
      pattern: /^\/bots\/([^/]+)\/knowledge_sources$/,
      handle: ({ keyId, query }, [botId]) => {
        const bot = ownBot(keyId, botId);
        if (!bot) return notFound("bot");
        const { page, limit } = pageQuery(query);
        return { status: 200, body: pageOfItems(bot.sources.map(sourceJson), page, limit) };
      },
    },
    {
      method: "DELETE",
      pattern: /^\/bots\/([^/]+)\/knowledge_sources\/([^/]+)$/,
      handle: ({ keyId }, [botId, sourceId]) => {
        const bot = ownBot(keyId, botId);
        if (!bot) return notFound("bot");
        return state.deleteKnowledgeSource(bot, sourceId) ? { status: 204 } : notFound("knowledge source");
      },
    },
    {
      method: "POST",
      pattern: /^\/bots\/([^/]+)\/sync$/,
      handle: ({ keyId }, [botId]) => {
        const bot = ownBot(keyId, botId);
        if (!bot) return notFound("bot");
        state.syncBot(bot);
        const json: BotSync = { status: "queued" };
        return { status: 202, body: json };
      },
    },
    {
      method: "GET",
      pattern: /^\/workspaces\/([^/]+)\/reports\/summary$/,
      handle: ({ keyId, query }, [workspaceId]) => {
        if (!ownWorkspace(keyId, workspaceId)) return notFound("workspace");
        const { since, until } = valid(ReportSummaryQuerySchema, Object.fromEntries(query));
        const summary: ReportSummary = state.reportSummary(keyId, since * 1000, until * 1000 + 999);
        return { status: 200, body: summary };
      },
    },
  ];

  return {
    /** Whether a request changes state (faults that strike "after apply" only make sense for those). */
    isWrite: (method: string) => method !== "GET",

    listEndpoints: () => listEndpoints,
    setListEndpoints(next: ListEndpoints) {
      listEndpoints = next;
    },

    answer(request: ApiRequest): ApiAnswer {
      if (listEndpoints === "absent" && LIST_PATHS.some((p) => p.test(request.path))) return notFound("route");
      const samePath = routes.filter((r) => r.pattern.test(request.path));
      const route = samePath.find((r) => r.method === request.method);
      if (!route) return samePath.length ? { status: 405, body: { error: "method not allowed" } } : notFound("route");
      const params = (request.path.match(route.pattern) ?? []).slice(1).map(decodeURIComponent);
      try {
        return route.handle(request, params);
      } catch (error) {
        if (error instanceof InvalidRequest) return { status: 400, body: { error: error.message } };
        throw error;
      }
    },
  };
}

export type OscarApi = ReturnType<typeof createOscarApi>;
