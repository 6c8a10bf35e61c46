import { isOrderStatusQuestion } from "../../../app/services/order-status.server";
import type { SimConversation, SimKnowledgeSource } from "../state";

/**
 * The simulated Oscar bot's judgement, without side effects: a plain text search over the knowledge
 * sources the app synced to the bot, and the rule for when it answers, stays out of the way, or
 * hands the conversation to a human. Oscar's real bot is a language model; this one is only good
 * enough to show the loop (a shopper asks, the bot answers from the store's own content).
 */

/** A passage of a knowledge source: one `## ` section of a synced bundle, or a slice of a long one. */
export type Passage = { sourceId: string; title: string; text: string };

export type BotAnswer = { passage: Passage; coverage: number };

export type BotTurn =
  | { kind: "answer"; content: string; passage: Passage }
  | { kind: "hand-over"; reason: string }
  /** Order questions are the app's (its order-status service answers them); the bot waits for that. */
  | { kind: "await-order-answer" }
  | { kind: "quiet"; why: "handed-over" | "agent-in-conversation" };

/** Share of the question's weight a passage must contain to count as an answer (below: a human takes over). */
export const MIN_COVERAGE = 0.5;
const PASSAGE_MAX_CHARS = 600;

export const HANDOVER_REASONS = {
  askedForHuman: "The shopper asked to talk to a person.",
  noAnswer: "No good answer in the bot's knowledge sources.",
  orderUnanswered: "An order question the store did not answer in time.",
} as const;

export const HANDOVER_MESSAGE = "I'll hand you over to our team: a person will reply here as soon as they can.";

// Words that carry no meaning for matching; a question made only of these matches nothing.
const STOPWORDS = new Set(
  ("a an and are as at be been but by can could did do does for from had has have how i i'm if in into is it its me my no not of on or our " +
    "please so than that the their them then there these they this to too us was we were what when where which who why will with would " +
    "you your yours hi hello hey thanks thank any about tell know want need get help long take much many soon just also still yet " +
    "really very some like ok okay see let make way one question ask").split(" "),
);

// Asking for a human, in the ways shoppers put it.
const WANTS_HUMAN = /\b(human|humans|agent|agents|person|people|someone|somebody|representative|operator|real person|customer service|support team|staff member)\b/i;

/** Lower-case words without stopwords, lightly stemmed so "returns" finds "return" and "shipping" "shipped". */
export function terms(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((word) => !STOPWORDS.has(word)).map(stem);
}

function stem(word: string): string {
  if (word.length > 5 && word.endsWith("ing")) return word.slice(0, -3);
  if (word.length > 4 && word.endsWith("ed")) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith("s") && !word.endsWith("ss")) return word.slice(0, -1);
  return word;
}

/** A question word is in a passage as a word, or inside a longer one ("worn" in "unworn") from 4 letters up. */
const contains = (words: readonly string[], term: string) => words.some((word) => word === term || (term.length >= 4 && word.includes(term)));

/** Splits each source into passages a shopper can read in the chat: a section, or slices of a long one under its title. */
export function passagesOf(sources: readonly SimKnowledgeSource[]): Passage[] {
  const passages: Passage[] = [];
  for (const source of sources) {
    const content = source.content ?? "";
    for (const section of content.split(/\n(?=## )/)) {
      const lines = section.split("\n").map((l) => l.trim()).filter(Boolean);
      if (lines.length === 0) continue;
      const title = lines[0].startsWith("## ") ? lines[0].slice(3).trim() : source.name;
      const body = lines[0].startsWith("## ") ? lines.slice(1) : lines;
      let chunk: string[] = [];
      const flush = () => {
        if (chunk.length) passages.push({ sourceId: source.id, title, text: chunk.join("\n") });
        chunk = [];
      };
      for (const line of body) {
        if (chunk.length && [...chunk, line].join("\n").length > PASSAGE_MAX_CHARS) flush();
        chunk.push(line.length > PASSAGE_MAX_CHARS ? `${line.slice(0, PASSAGE_MAX_CHARS - 1)}…` : line);
      }
      flush();
      if (body.length === 0) passages.push({ sourceId: source.id, title, text: "" });
    }
  }
  return passages;
}

/**
 * The passage that best answers the question: each question word weighs by how rare it is among the
 * passages (a word every passage has tells nothing), and a passage's coverage is the share of that
 * weight it contains, title included. The best passage counts only from MIN_COVERAGE up.
 */
export function findAnswer(sources: readonly SimKnowledgeSource[], question: string): BotAnswer | null {
  const wanted = [...new Set(terms(question))];
  const passages = passagesOf(sources);
  if (wanted.length === 0 || passages.length === 0) return null;
  const words = passages.map((p) => [...new Set(terms(`${p.title} ${p.text}`))]);
  const weights = new Map(wanted.map((term) => [term, Math.log(1 + passages.length / (1 + words.filter((w) => contains(w, term)).length))]));
  const total = [...weights.values()].reduce((sum, w) => sum + w, 0);
  let best: BotAnswer | null = null;
  passages.forEach((passage, i) => {
    const coverage = wanted.filter((term) => contains(words[i], term)).reduce((sum, term) => sum + weights.get(term)!, 0) / total;
    if (!best || coverage > best.coverage) best = { passage, coverage };
  });
  const found = best as BotAnswer | null;
  return found && found.coverage >= MIN_COVERAGE ? found : null;
}

/**
 * What the bot does with a shopper's message, in this order: once a human is involved (the bot handed
 * over, or an agent wrote) it stays quiet; a shopper who asks for a person gets one; an order question
 * is left to the app's order-status answer; otherwise it answers from the knowledge sources, or hands
 * over when nothing there matches well enough.
 */
export function decideBotTurn(conversation: Pick<SimConversation, "escalations" | "messages">, sources: readonly SimKnowledgeSource[], question: string): BotTurn {
  if (conversation.escalations.length > 0) return { kind: "quiet", why: "handed-over" };
  if (conversation.messages.some((m) => m.sender === "agent")) return { kind: "quiet", why: "agent-in-conversation" };
  if (WANTS_HUMAN.test(question)) return { kind: "hand-over", reason: HANDOVER_REASONS.askedForHuman };
  if (isOrderStatusQuestion(question)) return { kind: "await-order-answer" };
  const answer = findAnswer(sources, question);
  if (!answer) return { kind: "hand-over", reason: HANDOVER_REASONS.noAnswer };
  return { kind: "answer", content: [answer.passage.title, answer.passage.text].filter(Boolean).join("\n"), passage: answer.passage };
}
