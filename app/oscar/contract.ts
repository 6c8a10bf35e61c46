import { z } from "zod";

/**
 * The Oscar Chat API as this app uses it (see /work/shared/oscar-api.md), as zod schemas shared by
 * the client, the local simulator and the webhook ingest route.
 *
 * Requests are strict: they describe exactly what the app sends. Responses and webhook payloads are
 * loose objects: Oscar may add fields at any time, so unknown fields pass through, and only what
 * the app relies on is required. Every shape the public material does not state is marked
 * **assumed**; the behaviour assumptions live at the top of client.server.ts.
 */

// ---------------------------------------------------------------------------------------------
// Shared pieces

/** **assumed**: ids are strings such as "ws_…" or "wh_…"; numeric ids are accepted and read as strings. */
export const OscarIdSchema = z.union([z.string().min(1), z.number().int()]).transform(String);

/** **assumed**: timestamps come as ISO strings or unix seconds; the app only displays them. */
export const OscarTimestampSchema = z.union([z.string(), z.number()]);

/** Error bodies (**assumed** shape). The text may echo what was sent, so the app never shows or logs it. */
export const OscarErrorBodySchema = z.looseObject({ error: z.string() });

/**
 * Pagination (**assumed**, in the style of the public docs' `GET /{token}/workspaces?page&limit`):
 * a list takes `page` (from 1) and `limit`, and answers `{ data: [...], meta: { page, limit, next_page } }`,
 * `next_page` null or absent on the last page. A bare array (the older account style) is one whole page.
 */
export const MAX_PAGE_LIMIT = 100;
export const PageQuerySchema = z.strictObject({
  page: z.coerce.number().int().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_LIMIT).optional(),
});
export const PageMetaSchema = z.looseObject({
  page: z.number().int().optional(),
  limit: z.number().int().optional(),
  next_page: z.number().int().min(1).nullish(),
});
export type PageMeta = z.infer<typeof PageMetaSchema>;
export type Page<T> = { data: T[]; meta?: PageMeta };

/** One page of a list, wrapped (`{ data, meta }`) or bare (`[...]`). */
export function pageOf<S extends z.ZodType>(item: S): z.ZodType<Page<z.output<S>>> {
  return z.union([
    z.looseObject({ data: z.array(item), meta: PageMetaSchema.optional() }),
    z.array(item).transform((data) => ({ data })),
  ]) as unknown as z.ZodType<Page<z.output<S>>>;
}

export const CustomAttributeValueSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export const CustomAttributesSchema = z.record(z.string().min(1), CustomAttributeValueSchema);

// ---------------------------------------------------------------------------------------------
// Workspaces: GET /workspaces (used to verify a key)

export const WorkspaceSchema = z.looseObject({
  id: OscarIdSchema,
  name: z.string(),
  created_at: OscarTimestampSchema.optional(),
  /** **assumed**: the plan's name. */
  plan: z.string().nullish(),
});
export const ListWorkspacesResponseSchema = pageOf(WorkspaceSchema);

// ---------------------------------------------------------------------------------------------
// Webhooks: POST /webhooks, DELETE /webhooks/{id} (**assumed**: 204)

export const OSCAR_WEBHOOK_EVENT_TYPES = [
  "conversation.created",
  "conversation.assigned",
  "message.created",
  "conversation.resolved",
  "bot.escalated",
] as const;
export const OscarWebhookEventTypeSchema = z.enum(OSCAR_WEBHOOK_EVENT_TYPES);

export const CreateWebhookRequestSchema = z.strictObject({
  url: z.url({ protocol: /^https?$/ }),
  events: z.array(OscarWebhookEventTypeSchema).min(1),
  secret: z.string().min(1),
});

export const WebhookSchema = z.looseObject({
  id: OscarIdSchema,
  url: z.string(),
  // Oscar may subscribe to event types this app does not know yet.
  events: z.array(z.string()),
  secret: z.string().optional(),
  created_at: OscarTimestampSchema.optional(),
});

// ---------------------------------------------------------------------------------------------
// Conversations, messages, contacts

export const ContactSchema = z.looseObject({
  id: OscarIdSchema,
  name: z.string().nullish(),
  email: z.string().nullish(),
  custom_attributes: z.record(z.string(), z.unknown()).optional(),
});

/** **assumed**: an assignee is an agent with an id and, maybe, a display name. */
export const AssigneeSchema = z.looseObject({ id: OscarIdSchema, name: z.string().nullish() });

export const MessageSchema = z.looseObject({
  id: OscarIdSchema,
  /** **assumed**: null for messages that carry only attachments. */
  content: z.string().nullable(),
  // "incoming" (the shopper), "outgoing", "activity", and whatever Oscar adds.
  message_type: z.string(),
  content_type: z.string().optional(),
  private: z.boolean().optional(),
  created_at: OscarTimestampSchema.optional(),
});

/** **assumed**: only "open" appears in the public material. */
export const ConversationStatusSchema = z.enum(["open", "resolved"]);

export const ConversationSchema = z.looseObject({
  id: OscarIdSchema,
  status: z.string(),
  created_at: OscarTimestampSchema.optional(),
  labels: z.array(z.string()).optional(),
  // Present when asked for with ?include=messages,contact,assignee.
  messages: z.array(MessageSchema).optional(),
  contact: ContactSchema.optional(),
  assignee: AssigneeSchema.nullish(),
  /** **assumed**: with include=messages, `messages` is one page, newest page first (page 1: the latest). */
  meta: PageMetaSchema.optional(),
});

export const CONVERSATION_INCLUDES = ["messages", "contact", "assignee"] as const;
export const ConversationIncludeSchema = z.enum(CONVERSATION_INCLUDES);

export const ListConversationsQuerySchema = PageQuerySchema.extend({
  status: ConversationStatusSchema.optional(),
});
/** **assumed**: lists come wrapped as `{ data: [...] }`, like GET /workspaces. */
export const ListConversationsResponseSchema = pageOf(ConversationSchema);

export const GetConversationQuerySchema = PageQuerySchema.extend({
  include: z
    .string()
    .transform((list) => list.split(",").filter(Boolean))
    .pipe(z.array(ConversationIncludeSchema))
    .optional(),
});

export const PostMessageRequestSchema = z.strictObject({
  content: z.string().min(1),
  message_type: z.enum(["outgoing", "activity"]),
  content_type: z.enum(["text", "markdown", "html"]),
  /** true (or message_type "activity") makes an internal note the shopper never sees. */
  private: z.boolean(),
});

export const AssignConversationRequestSchema = z.strictObject({
  /** **assumed**: agent ids are strings; which agents exist is the merchant's configuration. */
  assignee_id: z.string().min(1),
});
/** **assumed** shape of "assignment". */
export const AssignmentSchema = z.looseObject({
  conversation_id: OscarIdSchema,
  assignee_id: OscarIdSchema,
  created_at: OscarTimestampSchema.optional(),
});

export const AddLabelsRequestSchema = z.strictObject({
  labels: z.array(z.string().min(1).max(255)).min(1),
});
/** **assumed**: the conversation's whole label set after the addition. */
export const LabelsResponseSchema = z.looseObject({ labels: z.array(z.string()) });

export const UpdateContactRequestSchema = z.strictObject({
  custom_attributes: CustomAttributesSchema,
});

// ---------------------------------------------------------------------------------------------
// Bots and knowledge sources

export const KNOWLEDGE_SOURCE_TYPES = ["url", "document", "text"] as const;

export const CreateKnowledgeSourceRequestSchema = z
  .strictObject({
    type: z.enum(KNOWLEDGE_SOURCE_TYPES),
    name: z.string().min(1),
    url: z.url({ protocol: /^https?$/ }).optional(),
    content: z.string().min(1).optional(),
  })
  // **assumed**: a url source needs its url; a document or text source needs its content.
  .refine((s) => (s.type === "url" ? s.url !== undefined : s.content !== undefined), {
    message: "a url source needs url; a document or text source needs content",
  });

export const KnowledgeSourceSchema = z.looseObject({
  id: OscarIdSchema,
  type: z.string(),
  name: z.string(),
  url: z.string().nullish(),
  created_at: OscarTimestampSchema.optional(),
});
/** **assumed** shape. */
export const ListKnowledgeSourcesResponseSchema = pageOf(KnowledgeSourceSchema);

/** **assumed**: Oscar acknowledges a retraining request, maybe with a status, maybe with no body. */
export const BotSyncResponseSchema = z.looseObject({ status: z.string().optional() });

// ---------------------------------------------------------------------------------------------
// The account's widgets, bots and agents, which the admin offers as choices instead of typed ids.
//
// Oscar's public API documentation lists an account's widgets (token style, `page` and `limit`,
// 20 a page by default), but the material at hand does not show the path or the item's fields, so
// the path below and every field are **assumed**. Nothing public lists bots or agents: those two
// endpoints are **assumed** outright. An Oscar without them answers 404, and the admin falls back to
// typed ids. The paths live here, in one place, so correcting them is a one-line change.

export const OSCAR_LIST_ROUTES = {
  /** **assumed** path (the public docs list widgets; the exact path was not seen). */
  widgets: "/widgets",
  /** **assumed** endpoint. */
  bots: "/bots",
  /** **assumed** endpoint. */
  agents: "/agents",
} as const;
export type OscarListKind = keyof typeof OSCAR_LIST_ROUTES;

/** **assumed**: a widget has an id (the loader's `data-widget-id`), a name, and maybe the bot that answers in it. */
export const WidgetSchema = z.looseObject({
  id: OscarIdSchema,
  name: z.string().nullish(),
  bot_id: OscarIdSchema.nullish(),
});
export const ListWidgetsResponseSchema = pageOf(WidgetSchema);

/** **assumed** shape. */
export const BotSchema = z.looseObject({ id: OscarIdSchema, name: z.string().nullish() });
export const ListBotsResponseSchema = pageOf(BotSchema);

/** **assumed** shape: the id the assignments endpoint takes, and a display name. */
export const AgentSchema = z.looseObject({ id: OscarIdSchema, name: z.string().nullish() });
export const ListAgentsResponseSchema = pageOf(AgentSchema);

// ---------------------------------------------------------------------------------------------
// Reports: GET /workspaces/{ws}/reports/summary

export const ReportSummaryQuerySchema = z
  .strictObject({
    since: z.coerce.number().int().nonnegative(),
    until: z.coerce.number().int().nonnegative(),
    type: z.literal("account"),
  })
  .refine((q) => q.since <= q.until, { message: "since must not be after until" });

/** Averages in seconds. **assumed**: null when there is nothing to average. */
export const ReportSummarySchema = z.looseObject({
  conversations_count: z.number().int().nonnegative(),
  avg_first_response_time: z.number().nonnegative().nullable(),
  avg_resolution_time: z.number().nonnegative().nullable(),
  bot_resolution_rate: z.number().min(0).max(1).nullable(),
  csat_survey_score: z.number().min(0).max(5).nullable(),
});

// ---------------------------------------------------------------------------------------------
// Webhook events (Oscar → the app). Deliveries may repeat and arrive out of order.

/** **assumed**: a top-level event id, when present; without it the app derives a key from the raw body. */
const EventIdSchema = OscarIdSchema.optional();

/** Any delivery: check this first, so an event type the app does not know yet can be acknowledged and skipped. */
export const OscarWebhookEnvelopeSchema = z.looseObject({
  id: EventIdSchema,
  type: z.string().min(1),
  data: z.looseObject({}),
});

const EventContactSchema = z.looseObject({
  id: OscarIdSchema.optional(),
  name: z.string().nullish(),
  email: z.string().nullish(),
  custom_attributes: z.record(z.string(), z.unknown()).optional(),
});

export const ConversationCreatedEventSchema = z.looseObject({
  id: EventIdSchema,
  type: z.literal("conversation.created"),
  data: z.looseObject({
    conversation_id: OscarIdSchema,
    contact: EventContactSchema.extend({ id: OscarIdSchema }),
  }),
});

export const ConversationAssignedEventSchema = z.looseObject({
  id: EventIdSchema,
  type: z.literal("conversation.assigned"),
  data: z.looseObject({
    conversation_id: OscarIdSchema,
    /** **assumed**: null when the conversation was unassigned. */
    assignee: AssigneeSchema.nullable(),
  }),
});

/** **assumed**: `{ type: "agent", id, name }` for an agent; other types (contact, bot) may appear. */
export const MessageSenderSchema = z.looseObject({ type: z.string(), id: OscarIdSchema.optional(), name: z.string().nullish() });

export const MessageCreatedEventSchema = z.looseObject({
  id: EventIdSchema,
  type: z.literal("message.created"),
  data: z.looseObject({
    conversation_id: OscarIdSchema,
    message: z.looseObject({
      id: OscarIdSchema,
      content: z.string().nullable(),
      message_type: z.string(),
      private: z.boolean().optional(),
      /**
       * **assumed**, like Chatwoot's message_created: who wrote it. An agent's message names the agent;
       * the app's own messages (posted with the API key) name no agent, so they are never an agent's command.
       */
      sender: MessageSenderSchema.optional(),
    }),
    contact: EventContactSchema.optional(),
  }),
});

export const ConversationResolvedEventSchema = z.looseObject({
  id: EventIdSchema,
  type: z.literal("conversation.resolved"),
  data: z.looseObject({ conversation_id: OscarIdSchema }),
});

export const BotEscalatedEventSchema = z.looseObject({
  id: EventIdSchema,
  type: z.literal("bot.escalated"),
  data: z.looseObject({
    conversation_id: OscarIdSchema,
    contact: EventContactSchema.optional(),
    /** **assumed**: the text of the shopper's last message. */
    last_message: z.string().nullish(),
    reason: z.string().nullish(),
  }),
});

export const OscarWebhookEventSchema = z.discriminatedUnion("type", [
  ConversationCreatedEventSchema,
  ConversationAssignedEventSchema,
  MessageCreatedEventSchema,
  ConversationResolvedEventSchema,
  BotEscalatedEventSchema,
]);

export function isKnownOscarEventType(type: string): type is OscarWebhookEventType {
  return (OSCAR_WEBHOOK_EVENT_TYPES as readonly string[]).includes(type);
}

// ---------------------------------------------------------------------------------------------
// Types

export type OscarWebhookEventType = z.infer<typeof OscarWebhookEventTypeSchema>;
export type OscarWebhookEvent = z.infer<typeof OscarWebhookEventSchema>;
export type OscarWebhookEventOf<T extends OscarWebhookEventType> = Extract<OscarWebhookEvent, { type: T }>;
export type CustomAttributes = z.infer<typeof CustomAttributesSchema>;
export type Workspace = z.infer<typeof WorkspaceSchema>;
export type CreateWebhookRequest = z.infer<typeof CreateWebhookRequestSchema>;
export type Webhook = z.infer<typeof WebhookSchema>;
export type Contact = z.infer<typeof ContactSchema>;
export type Assignee = z.infer<typeof AssigneeSchema>;
export type Message = z.infer<typeof MessageSchema>;
export type ConversationStatus = z.infer<typeof ConversationStatusSchema>;
export type Conversation = z.infer<typeof ConversationSchema>;
export type ConversationInclude = z.infer<typeof ConversationIncludeSchema>;
export type ListConversationsQuery = z.input<typeof ListConversationsQuerySchema>;
export type PostMessageRequest = z.infer<typeof PostMessageRequestSchema>;
export type AssignConversationRequest = z.infer<typeof AssignConversationRequestSchema>;
export type Assignment = z.infer<typeof AssignmentSchema>;
export type AddLabelsRequest = z.infer<typeof AddLabelsRequestSchema>;
export type UpdateContactRequest = z.infer<typeof UpdateContactRequestSchema>;
export type CreateKnowledgeSourceRequest = z.infer<typeof CreateKnowledgeSourceRequestSchema>;
export type KnowledgeSource = z.infer<typeof KnowledgeSourceSchema>;
export type BotSync = z.infer<typeof BotSyncResponseSchema>;
export type Widget = z.infer<typeof WidgetSchema>;
export type Bot = z.infer<typeof BotSchema>;
export type Agent = z.infer<typeof AgentSchema>;
export type ReportSummaryQuery = z.infer<typeof ReportSummaryQuerySchema>;
export type ReportSummary = z.infer<typeof ReportSummarySchema>;
