/**
 * What the admin blocks on a customer's and an order's page receive (JSON), shared by the app's
 * endpoints and the UI extension that renders it. Ids, times and the app's own outcomes only: the
 * blocks never carry what a shopper or an agent wrote.
 */

export type EscalationKind = "urgent" | "vip" | "bot";

export type BlockConversation = {
  conversationId: string;
  /** ISO 8601; the extension formats it in the merchant's locale. */
  startedAt: string;
  status: "open" | "resolved";
  resolvedAt: string | null;
  /** The labels the app put on the conversation in Oscar (the shop's urgent and VIP labels). */
  labels: string[];
  escalations: Array<{ kind: EscalationKind; at: string }>;
  assigned: boolean;
  /**
   * Always null: Oscar's contract carries no rating per conversation (`conversation.resolved` has no
   * score; only the workspace report's `csat_survey_score` exists), so the app has none to show.
   */
  csat: null;
  oscarUrl: string;
};

export type CustomerBlockData = { conversations: BlockConversation[] };

export type OrderBlockData = {
  order: { placedAt: string; hasCustomer: boolean };
  /** How far before and after the order the blocks look, in days. */
  windowDays: number;
  before: BlockConversation[];
  after: BlockConversation[];
};

/** The one body every "not this shop's" and "no such" answer carries, so the two cannot be told apart. */
export const NOT_FOUND_BODY = { error: "not-found" } as const;

export type MessageOutcome =
  | { sent: true; conversationId: string }
  | { sent: false; reason: "not-connected" | "conversation-resolved" | "oscar-unavailable" };
