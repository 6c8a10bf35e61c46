import { describe, expect, it } from "vitest";
import type { SimKnowledgeSource, SimMessage } from "../state";
import { decideBotTurn, findAnswer, HANDOVER_REASONS, passagesOf, terms } from "./bot";

// Written the way the app's knowledge sync writes its bundles: one "## " section per item.
const policies: SimKnowledgeSource = {
  id: "ks_1",
  type: "text",
  name: "Policies",
  createdAt: 0,
  content: [
    "## Refund policy",
    "Link: https://www.maple.example/policies/refund-policy",
    "Returns are accepted within 30 days of delivery for unworn items with their tags.",
    "Sale items are final sale.",
    "## Shipping policy",
    "Link: https://www.maple.example/policies/shipping-policy",
    "Orders ship within 2 business days. Free shipping on orders over $100.",
  ].join("\n"),
};
const products: SimKnowledgeSource = {
  id: "ks_2",
  type: "text",
  name: "Knitwear",
  createdAt: 0,
  content: [
    "## Merino Crew Sweater",
    "Type: Knitwear | Brand: Maple & Thread",
    "Knitted in Portugal from 100% extra-fine merino wool. Hand wash cold and dry flat.",
    "Variants:",
    "- S: 129.00 USD, in stock",
    "- M: 129.00 USD, sold out",
    "## Cashmere Cardigan",
    "Type: Knitwear | Brand: Maple & Thread",
    "Grade-A Mongolian cashmere, button front. Dry clean only.",
  ].join("\n"),
};
const sources = [policies, products];

const message = (sender: SimMessage["sender"]): SimMessage => ({
  id: "msg_1",
  content: "…",
  messageType: sender === "shopper" ? "incoming" : "outgoing",
  contentType: "text",
  private: false,
  sender,
  createdAt: 0,
});
const fresh = { escalations: [], messages: [message("shopper")] };

describe("the simulated bot's search over synced knowledge", () => {
  it("reads each ## section as a passage under its title", () => {
    expect(passagesOf(sources).map((p) => p.title)).toEqual(["Refund policy", "Shipping policy", "Merino Crew Sweater", "Cashmere Cardigan"]);
  });

  it("slices a long section into passages that each keep the section's title", () => {
    const long: SimKnowledgeSource = { ...products, content: `## Big catalogue\n${Array.from({ length: 40 }, (_, i) => `- Item ${i}: a long enough description line`).join("\n")}` };
    const passages = passagesOf([long]);
    expect(passages.length).toBeGreaterThan(1);
    for (const passage of passages) {
      expect(passage.title).toBe("Big catalogue");
      expect(passage.text.length).toBeLessThanOrEqual(600);
    }
    expect(passages.map((p) => p.text).join("\n").split("\n")).toHaveLength(40);
  });

  it("ignores case, stopwords and plural endings when matching", () => {
    expect(terms("What are your Returns?")).toEqual(["return"]);
  });

  it.each([
    ["Can I return a sweater I have worn?", "Refund policy"],
    ["how long does shipping take", "Shipping policy"],
    ["How do I wash the merino crew?", "Merino Crew Sweater"],
    ["Is the cashmere cardigan dry clean only?", "Cashmere Cardigan"],
  ])("answers %j from the passage %j", (question, title) => {
    expect(findAnswer(sources, question)?.passage.title).toBe(title);
  });

  it("finds nothing when the question's words are not in the knowledge, or there is no knowledge", () => {
    expect(findAnswer(sources, "Do you sell gift cards for birthdays?")).toBeNull();
    expect(findAnswer(sources, "hello")).toBeNull();
    expect(findAnswer([], "return policy")).toBeNull();
  });

  it("does not answer on a common word alone: most of the question must be in the passage", () => {
    // "knitwear" is in two passages; "gift" and "wrapping" in none.
    expect(findAnswer(sources, "Do you offer gift wrapping for knitwear?")).toBeNull();
  });
});

describe("the simulated bot's turn", () => {
  it("answers from the best passage, title first", () => {
    const turn = decideBotTurn(fresh, sources, "How long does shipping take?");
    expect(turn).toMatchObject({ kind: "answer" });
    expect(turn.kind === "answer" && turn.content).toBe(
      "Shipping policy\nLink: https://www.maple.example/policies/shipping-policy\nOrders ship within 2 business days. Free shipping on orders over $100.",
    );
  });

  it.each(["I want to talk to a person", "Can I speak to a human please", "agent", "Is there someone who can help?", "Let me talk to a REPRESENTATIVE"])(
    "hands over to a human when the shopper asks: %j",
    (question) => {
      expect(decideBotTurn(fresh, sources, question)).toEqual({ kind: "hand-over", reason: HANDOVER_REASONS.askedForHuman });
    },
  );

  it("hands over when nothing in the knowledge answers well enough", () => {
    expect(decideBotTurn(fresh, sources, "Do you sell gift cards?")).toEqual({ kind: "hand-over", reason: HANDOVER_REASONS.noAnswer });
  });

  it.each(["Where is my order?", "Has my order shipped yet?", "What about #1042"])("leaves order questions to the app's order-status answer: %j", (question) => {
    expect(decideBotTurn(fresh, sources, question)).toEqual({ kind: "await-order-answer" });
  });

  it("stays quiet once it has handed over, or once an agent has written, whatever the shopper asks", () => {
    const escalated = { escalations: [{ reason: "x", at: 0 }], messages: fresh.messages };
    const agentWrote = { escalations: [], messages: [message("shopper"), message("agent")] };
    for (const question of ["How long does shipping take?", "I want a person", "Where is my order?"]) {
      expect(decideBotTurn(escalated, sources, question)).toEqual({ kind: "quiet", why: "handed-over" });
      expect(decideBotTurn(agentWrote, sources, question)).toEqual({ kind: "quiet", why: "agent-in-conversation" });
    }
  });

  it("keeps answering after the app wrote (an order-status reply is not a human taking over)", () => {
    const appWrote = { escalations: [], messages: [message("shopper"), message("app")] };
    expect(decideBotTurn(appWrote, sources, "how long does shipping take").kind).toBe("answer");
  });
});
