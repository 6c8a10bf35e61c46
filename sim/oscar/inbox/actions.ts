import { z } from "zod";
import type { OscarSimState, SimConversation } from "../state";

/**
 * What an agent does from the inbox, each through the state's own functions, so each produces the
 * webhook Oscar sends for it (message.created, conversation.assigned, conversation.resolved,
 * bot.escalated), delivered with the simulator's realism (duplicates, out of order).
 */

const text = (what: string, max: number) => z.string().trim().min(1, `Write ${what} first.`).max(max, `${what[0].toUpperCase()}${what.slice(1)} is too long (at most ${max} characters).`);
const agentId = z.string().min(1, "Choose an agent.");

export const INBOX_ACTIONS = {
  reply: {
    form: z.object({ agentId, reply: text("a reply", 10_000) }),
    run: (state: OscarSimState, c: SimConversation, f: { agentId: string; reply: string }) => state.agentReplies(c.id, f.reply, undefined, f.agentId),
    done: "Reply sent.",
  },
  note: {
    form: z.object({ agentId, note: text("a note", 10_000) }),
    run: (state: OscarSimState, c: SimConversation, f: { agentId: string; note: string }) => state.agentWritesNote(c.id, f.note, f.agentId),
    done: "Private note added.",
  },
  assign: {
    form: z.object({ assigneeId: agentId }),
    run: (state: OscarSimState, c: SimConversation, f: { assigneeId: string }) => state.agentAssigned(c.id, f.assigneeId),
    done: "Conversation assigned.",
  },
  handover: {
    form: z.object({ reason: text("a reason", 500) }),
    // As Oscar's bot does when it gives up: the team is told why (bot.escalated with the reason).
    run: (state: OscarSimState, c: SimConversation, f: { reason: string }) => state.botEscalates(c.id, f.reason),
    done: "Handed over to a human.",
  },
  resolve: {
    // The rating is kept for Oscar's report summary (csat_survey_score); conversation.resolved itself carries none.
    form: z.object({ csat: z.union([z.literal("").transform(() => undefined), z.coerce.number().int().min(1).max(5)]).optional() }),
    run: (state: OscarSimState, c: SimConversation, f: { csat?: number }) => state.agentResolves(c.id, { csatScore: f.csat }),
    done: "Conversation resolved.",
  },
} as const;

export type InboxAction = keyof typeof INBOX_ACTIONS;
export const isInboxAction = (name: string): name is InboxAction => Object.hasOwn(INBOX_ACTIONS, name);

/** Runs one action from a posted form; a sentence for the agent when the form is not right. */
export function runInboxAction(state: OscarSimState, conversation: SimConversation, action: InboxAction, fields: Record<string, string>): { ok: true; done: string } | { ok: false; error: string } {
  const spec = INBOX_ACTIONS[action];
  const parsed = spec.form.safeParse(fields);
  if (!parsed.success) return { ok: false, error: parsed.error.issues[0]?.message ?? "The form is not complete." };
  if ("agentId" in parsed.data || "assigneeId" in parsed.data) {
    const id = "agentId" in parsed.data ? parsed.data.agentId : parsed.data.assigneeId;
    if (!state.agentOf(conversation.keyId, id)) return { ok: false, error: "That agent is not in this account." };
  }
  (spec.run as (s: OscarSimState, c: SimConversation, f: unknown) => unknown)(state, conversation, parsed.data);
  return { ok: true, done: spec.done };
}
