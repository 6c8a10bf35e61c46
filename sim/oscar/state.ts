import type { z } from "zod";
import type {
  CreateKnowledgeSourceRequest,
  CreateWebhookRequest,
  CustomAttributes,
  OscarWebhookEventSchema,
  OscarWebhookEventType,
  PostMessageRequest,
} from "../../app/oscar/contract";

/**
 * The simulated Oscar's world, in memory: one account per API key, each with a workspace, two bots
 * and three agents; the account's contacts, conversations (messages, labels, assignment history),
 * knowledge sources, retraining calls and webhooks. Changes that Oscar announces are passed to
 * `announce` as webhook events.
 */

export type SimAgent = { id: string; name: string };
export type SimWorkspace = { id: string; name: string; plan: string; createdAt: number };
export type SimKnowledgeSource = { id: string; type: string; name: string; url?: string; content?: string; createdAt: number };
export type SimBot = { id: string; name: string; sources: SimKnowledgeSource[]; syncs: { at: number; sourceCount: number }[] };
/** A chat widget the account can put on a website: its id goes in the loader's `data-widget-id`; its bot answers first. */
export type SimWidget = { id: string; name: string; botId: string };
/** `bot` is the account's first bot (the one most tests train); `bots` holds every bot, a second one too. */
export type SimAccount = { keyId: string; workspace: SimWorkspace; bot: SimBot; bots: SimBot[]; agents: SimAgent[]; widgets: SimWidget[] };
export type SimWebhook = { id: string; keyId: string; url: string; events: string[]; secret: string; createdAt: number };

export type SimContact = {
  id: string;
  keyId: string;
  name: string | null;
  email: string | null;
  customAttributes: Record<string, unknown>;
};

export type SimMessage = {
  id: string;
  content: string;
  messageType: "incoming" | "outgoing" | "activity";
  contentType: "text" | "markdown" | "html";
  private: boolean;
  /** "bot": the account's bot answering in the chat widget (sim/oscar/widget/). */
  sender: "shopper" | "agent" | "app" | "bot";
  /** The agent who wrote it, when an agent did (the inbox's "Acting as"). */
  agentId?: string;
  createdAt: number;
};

export type SimAssignment = { assigneeId: string; by: "app" | "agent"; at: number };

export type SimConversation = {
  id: string;
  keyId: string;
  workspaceId: string;
  contactId: string;
  status: "open" | "resolved";
  messages: SimMessage[];
  labels: string[];
  assigneeId: string | null;
  /** Every assignment ever made, repeats included: a retried assignment would show up twice here. */
  assignments: SimAssignment[];
  escalations: { reason: string; at: number }[];
  createdAt: number;
  firstResponseAt: number | null;
  resolvedAt: number | null;
  csatScore: number | null;
};

type WebhookEventInput = z.input<typeof OscarWebhookEventSchema>;
/** An event as the state announces it; the sender gives it its id. */
export type AnnouncedEvent = {
  [T in OscarWebhookEventType]: { type: T; data: Extract<WebhookEventInput, { type: T }>["data"] };
}[OscarWebhookEventType];

export function createOscarSimState(options: { now: () => number; announce: (keyId: string, event: AnnouncedEvent) => void }) {
  const { now, announce } = options;
  const accounts = new Map<string, SimAccount>();
  const contacts = new Map<string, SimContact>();
  const conversations = new Map<string, SimConversation>();
  const webhooks = new Map<string, SimWebhook>();
  const counters = new Map<string, number>();
  const nextId = (prefix: string) => {
    const n = (counters.get(prefix) ?? 0) + 1;
    counters.set(prefix, n);
    return `${prefix}_${n}`;
  };

  const contactJson = (c: SimContact) => ({ id: c.id, name: c.name, email: c.email, custom_attributes: { ...c.customAttributes } });
  const agentOf = (keyId: string, agentId: string) => accounts.get(keyId)?.agents.find((a) => a.id === agentId);

  function addMessage(conversation: SimConversation, message: Omit<SimMessage, "id">): SimMessage {
    const stored: SimMessage = { id: nextId("msg"), ...message };
    conversation.messages.push(stored);
    const answersShopper = stored.messageType === "outgoing" && !stored.private;
    if (answersShopper && conversation.firstResponseAt === null) conversation.firstResponseAt = stored.createdAt;
    const contact = contacts.get(conversation.contactId);
    const agent = stored.agentId ? agentOf(conversation.keyId, stored.agentId) : undefined;
    announce(conversation.keyId, {
      type: "message.created",
      data: {
        conversation_id: conversation.id,
        message: {
          id: stored.id,
          content: stored.content,
          message_type: stored.messageType,
          private: stored.private,
          // **assumed**: like Chatwoot's message_created, an agent's message names its sender (the contract does not read it yet).
          ...(agent ? { sender: { type: "agent", id: agent.id, name: agent.name } } : {}),
        },
        contact: contact ? contactJson(contact) : undefined,
      },
    });
    return stored;
  }

  function assign(conversation: SimConversation, agent: SimAgent, by: SimAssignment["by"], at: number): SimAssignment {
    const assignment: SimAssignment = { assigneeId: agent.id, by, at };
    conversation.assigneeId = agent.id;
    conversation.assignments.push(assignment);
    announce(conversation.keyId, {
      type: "conversation.assigned",
      data: { conversation_id: conversation.id, assignee: { id: agent.id, name: agent.name } },
    });
    return assignment;
  }

  function conversationOrThrow(conversationId: string): SimConversation {
    const conversation = conversations.get(conversationId);
    if (!conversation) throw new SimNotFound(`no conversation ${conversationId}`);
    return conversation;
  }

  function agentOrThrow(conversation: SimConversation, agentId: string): SimAgent {
    const agent = agentOf(conversation.keyId, agentId);
    if (!agent) throw new SimNotFound(`no agent ${agentId} in this account`);
    return agent;
  }

  const accountByWorkspace = (workspaceId: string) => [...accounts.values()].find((a) => a.workspace.id === workspaceId);

  return {
    // ----- accounts
    openAccount(keyId: string): SimAccount {
      const existing = accounts.get(keyId);
      if (existing) return existing;
      const n = accounts.size + 1;
      const bots: SimBot[] = ["Store assistant", "Returns helper"].map((name) => ({ id: nextId("bot"), name, sources: [], syncs: [] }));
      const account: SimAccount = {
        keyId,
        workspace: { id: nextId("ws"), name: `Support workspace ${n}`, plan: "business", createdAt: now() },
        bot: bots[0],
        bots,
        agents: ["Ada", "Grace", "Linus"].map((name) => ({ id: nextId("agent"), name })),
        widgets: [
          { id: nextId("wgt"), name: "Storefront chat", botId: bots[0].id },
          { id: nextId("wgt"), name: "Returns desk", botId: bots[1].id },
        ],
      };
      accounts.set(keyId, account);
      return account;
    },
    account: (keyId: string) => accounts.get(keyId),
    accountForWidget: (widgetId: string) => [...accounts.values()].find((a) => a.widgets.some((w) => w.id === widgetId)),
    accounts: () => [...accounts.values()],
    accountByWorkspace,
    contactJson,

    // ----- what the API reads and writes (callers check the account owns what they touch)
    contact: (contactId: string) => contacts.get(contactId),
    conversation: (conversationId: string) => conversations.get(conversationId),
    conversationsOf: (keyId: string) => [...conversations.values()].filter((c) => c.keyId === keyId),
    webhook: (webhookId: string) => webhooks.get(webhookId),
    webhooks: () => [...webhooks.values()],
    webhooksFor: (keyId: string, type: string) => [...webhooks.values()].filter((w) => w.keyId === keyId && w.events.includes(type)),
    agentOf,

    createWebhook(keyId: string, request: CreateWebhookRequest): SimWebhook {
      const webhook: SimWebhook = { id: nextId("wh"), keyId, ...request, createdAt: now() };
      webhooks.set(webhook.id, webhook);
      return webhook;
    },
    deleteWebhook: (webhookId: string) => webhooks.delete(webhookId),

    postMessage(conversation: SimConversation, request: PostMessageRequest): SimMessage {
      return addMessage(conversation, {
        content: request.content,
        messageType: request.message_type,
        contentType: request.content_type,
        private: request.private || request.message_type === "activity",
        sender: "app",
        createdAt: now(),
      });
    },
    assignByApp: (conversation: SimConversation, agent: SimAgent) => assign(conversation, agent, "app", now()),
    /** Labels are a set: adding one twice keeps one. */
    addLabels(conversation: SimConversation, labels: string[]): string[] {
      for (const label of labels) if (!conversation.labels.includes(label)) conversation.labels.push(label);
      return [...conversation.labels];
    },
    /** Attributes are merged; a null value removes the attribute. */
    updateContact(contact: SimContact, attributes: CustomAttributes): SimContact {
      mergeAttributes(contact, attributes);
      return contact;
    },
    addKnowledgeSource(bot: SimBot, request: CreateKnowledgeSourceRequest): SimKnowledgeSource {
      const source: SimKnowledgeSource = { id: nextId("ks"), ...request, createdAt: now() };
      bot.sources.push(source);
      return source;
    },
    deleteKnowledgeSource(bot: SimBot, sourceId: string): boolean {
      const before = bot.sources.length;
      bot.sources = bot.sources.filter((s) => s.id !== sourceId);
      return bot.sources.length < before;
    },
    syncBot(bot: SimBot) {
      bot.syncs.push({ at: now(), sourceCount: bot.sources.length });
    },

    /** The summary Oscar reports for conversations created between since and until (ms). */
    reportSummary(keyId: string, sinceMs: number, untilMs: number) {
      const inPeriod = [...conversations.values()].filter((c) => c.keyId === keyId && c.createdAt >= sinceMs && c.createdAt <= untilMs);
      const seconds = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length / 1000 : null);
      const resolved = inPeriod.filter((c) => c.resolvedAt !== null);
      const byBot = resolved.filter((c) => c.assignments.length === 0 && c.escalations.length === 0);
      const scores = inPeriod.flatMap((c) => (c.csatScore === null ? [] : [c.csatScore]));
      return {
        conversations_count: inPeriod.length,
        avg_first_response_time: seconds(inPeriod.flatMap((c) => (c.firstResponseAt === null ? [] : [c.firstResponseAt - c.createdAt]))),
        avg_resolution_time: seconds(resolved.map((c) => (c.resolvedAt ?? 0) - c.createdAt)),
        bot_resolution_rate: resolved.length ? byBot.length / resolved.length : null,
        csat_survey_score: scores.length ? scores.reduce((a, b) => a + b, 0) / scores.length : null,
      };
    },

    // ----- what shoppers, the bot and agents do (the scenario API)
    /** A null email (a visitor the widget does not know) always makes a new contact. */
    shopperOpensConversation(input: {
      workspaceId: string;
      email: string | null;
      name: string | null;
      message?: string;
      customAttributes?: Record<string, unknown>;
      at?: number;
    }): { conversationId: string; contactId: string } {
      const account = accountByWorkspace(input.workspaceId);
      if (!account) throw new SimNotFound(`no workspace ${input.workspaceId}`);
      const at = input.at ?? now();
      let contact = input.email === null ? undefined : [...contacts.values()].find((c) => c.keyId === account.keyId && c.email === input.email);
      if (!contact) {
        contact = { id: nextId("contact"), keyId: account.keyId, name: input.name, email: input.email, customAttributes: {} };
        contacts.set(contact.id, contact);
      }
      // Merged as a contact update is (a null removes the attribute), so an identity can also be cleared.
      mergeAttributes(contact, input.customAttributes ?? {});
      const conversation: SimConversation = {
        id: nextId("conv"),
        keyId: account.keyId,
        workspaceId: account.workspace.id,
        contactId: contact.id,
        status: "open",
        messages: [],
        labels: [],
        assigneeId: null,
        assignments: [],
        escalations: [],
        createdAt: at,
        firstResponseAt: null,
        resolvedAt: null,
        csatScore: null,
      };
      conversations.set(conversation.id, conversation);
      announce(account.keyId, { type: "conversation.created", data: { conversation_id: conversation.id, contact: contactJson(contact) } });
      if (input.message) {
        addMessage(conversation, { content: input.message, messageType: "incoming", contentType: "text", private: false, sender: "shopper", createdAt: at });
      }
      return { conversationId: conversation.id, contactId: contact.id };
    },

    shopperWrites(conversationId: string, content: string, at = now()): { messageId: string } {
      const conversation = conversationOrThrow(conversationId);
      const message = addMessage(conversation, { content, messageType: "incoming", contentType: "text", private: false, sender: "shopper", createdAt: at });
      return { messageId: message.id };
    },

    agentReplies(conversationId: string, content: string, at = now(), agentId?: string): { messageId: string } {
      const conversation = conversationOrThrow(conversationId);
      const author = agentId ? agentOrThrow(conversation, agentId).id : undefined;
      const message = addMessage(conversation, { content, messageType: "outgoing", contentType: "text", private: false, sender: "agent", agentId: author, createdAt: at });
      return { messageId: message.id };
    },

    /** An agent's private note: other agents (and the app) read it, the shopper never does. */
    agentWritesNote(conversationId: string, content: string, agentId: string, at = now()): { messageId: string } {
      const conversation = conversationOrThrow(conversationId);
      const author = agentOrThrow(conversation, agentId);
      const message = addMessage(conversation, { content, messageType: "outgoing", contentType: "text", private: true, sender: "agent", agentId: author.id, createdAt: at });
      return { messageId: message.id };
    },

    /** The widget's bot answers the shopper (outgoing, visible to them). */
    botReplies(conversationId: string, content: string, at = now()): { messageId: string } {
      const conversation = conversationOrThrow(conversationId);
      const message = addMessage(conversation, { content, messageType: "outgoing", contentType: "text", private: false, sender: "bot", createdAt: at });
      return { messageId: message.id };
    },

    botEscalates(conversationId: string, reason: string, at = now()) {
      const conversation = conversationOrThrow(conversationId);
      conversation.escalations.push({ reason, at });
      const contact = contacts.get(conversation.contactId);
      const lastFromShopper = conversation.messages.filter((m) => m.sender === "shopper").at(-1);
      announce(conversation.keyId, {
        type: "bot.escalated",
        data: {
          conversation_id: conversation.id,
          contact: contact ? { id: contact.id, name: contact.name, email: contact.email } : undefined,
          last_message: lastFromShopper?.content ?? null,
          reason,
        },
      });
    },

    /** An agent takes the conversation (from Oscar's inbox, not through the API). */
    agentAssigned(conversationId: string, agentId?: string, at = now()) {
      const conversation = conversationOrThrow(conversationId);
      const account = accounts.get(conversation.keyId);
      const agent = agentId ? agentOf(conversation.keyId, agentId) : account?.agents[0];
      if (!agent) throw new SimNotFound(`no agent ${agentId}`);
      assign(conversation, agent, "agent", at);
    },

    agentResolves(conversationId: string, options: { csatScore?: number; at?: number } = {}) {
      const conversation = conversationOrThrow(conversationId);
      conversation.status = "resolved";
      conversation.resolvedAt = options.at ?? now();
      conversation.csatScore = options.csatScore ?? null;
      announce(conversation.keyId, { type: "conversation.resolved", data: { conversation_id: conversation.id } });
    },
  };
}

export type OscarSimState = ReturnType<typeof createOscarSimState>;

/** Attributes are merged; a null value removes the attribute. */
function mergeAttributes(contact: SimContact, attributes: Record<string, unknown>) {
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null) delete contact.customAttributes[name];
    else contact.customAttributes[name] = value;
  }
}

/** Something a scenario step named does not exist. */
export class SimNotFound extends Error {
  override name = "SimNotFound";
}
