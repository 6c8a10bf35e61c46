import type { SlackDelivery } from "../../slack/receiver";
import type { OscarSimState, SimAccount, SimConversation, SimMessage } from "../state";

/** A Slack message the sandbox's receiver captured (the simulator reads them; it does not own them). */
export type CapturedSlackMessage = SlackDelivery;

/** Who wrote a message, as an agent reads it. */
export type MessageAuthor = "shopper" | "bot" | "agent" | "app";

const AUTHORS: Record<string, MessageAuthor> = { shopper: "shopper", bot: "bot", agent: "agent", app: "app" };
// A sender the inbox does not know yet is shown as the app's: never as the shopper or an agent.
export const authorOf = (message: SimMessage): MessageAuthor => AUTHORS[message.sender] ?? "app";

export function authorName(state: OscarSimState, conversation: SimConversation, message: SimMessage): string {
  const account = state.account(conversation.keyId);
  switch (authorOf(message)) {
    case "shopper":
      return contactName(state, conversation);
    case "bot":
      return account?.bot.name ?? "Bot";
    case "agent":
      return (message.agentId && state.agentOf(conversation.keyId, message.agentId)?.name) || "Agent";
    case "app":
      return "Oscar Chat for Shopify";
  }
}

/** The contact's name, else their email, else their id: what a row's link says. */
export function contactName(state: OscarSimState, conversation: SimConversation): string {
  const contact = state.contact(conversation.contactId);
  return contact?.name || contact?.email || conversation.contactId;
}

export const assigneeName = (state: OscarSimState, conversation: SimConversation) =>
  conversation.assigneeId ? (state.agentOf(conversation.keyId, conversation.assigneeId)?.name ?? conversation.assigneeId) : null;

/** Accounts with their conversations, newest first. */
export function accountsWithConversations(state: OscarSimState): { account: SimAccount; conversations: SimConversation[] }[] {
  return state.accounts().map((account) => ({
    account,
    conversations: state.conversationsOf(account.keyId).sort((a, b) => b.createdAt - a.createdAt || Number(b.id.split("_")[1]) - Number(a.id.split("_")[1])),
  }));
}

/** The last thing the shopper or the team said in the open (private notes are not a preview). */
export const lastPublicMessage = (conversation: SimConversation) => conversation.messages.filter((m) => !m.private).at(-1) ?? null;

const CONVERSATION_LINK = /\/conversations\/([^/?#\s|>"]+)/g;

/** Every conversation id a Slack message links to (its "Open conversation" button, links in its text). */
export function conversationIdsIn(message: CapturedSlackMessage): string[] {
  const ids = new Set<string>();
  const visit = (value: unknown): void => {
    if (typeof value === "string") {
      for (const [, id] of value.matchAll(CONVERSATION_LINK)) {
        try {
          ids.add(decodeURIComponent(id));
        } catch {
          // A malformed escape names no conversation.
        }
      }
    } else if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === "object") Object.values(value).forEach(visit);
  };
  visit(message.body);
  return [...ids];
}

/** The channel a message went to: the last part of its webhook URL (the receiver's `webhookUrl(channel)`). */
export const slackChannelOf = (message: CapturedSlackMessage) => message.path.split("?")[0].split("/").filter(Boolean).at(-1) ?? "";

export const excerpt = (text: string, max = 120) => {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

export const formatTime = (ms: number) => `${new Date(ms).toISOString().slice(0, 16).replace("T", " ")} UTC`;
