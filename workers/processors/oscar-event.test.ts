import { describe, expect, it } from "vitest";
import { OscarWebhookEventSchema } from "../../app/oscar/contract";
import { expectedOscarRequests } from "./oscar-event";

const messageEvent = (message: { message_type: string; private?: boolean; content?: string }) =>
  OscarWebhookEventSchema.parse({ id: "evt_1", type: "message.created", data: { conversation_id: "conv_1", message: { id: "msg_1", content: "Where is my order?", ...message } } });

describe("Oscar budget booked for an event's job", () => {
  it("books budget for a shopper's message, which routing and order-status answers read", () => {
    expect(expectedOscarRequests(messageEvent({ message_type: "incoming", private: false }))).toBeGreaterThan(0);
  });

  it("books none for the app's own note, an agent's reply or any private message: nothing reads them, so booked budget would go unused", () => {
    expect(expectedOscarRequests(messageEvent({ message_type: "activity", private: true }))).toBe(0);
    expect(expectedOscarRequests(messageEvent({ message_type: "outgoing" }))).toBe(0);
    expect(expectedOscarRequests(messageEvent({ message_type: "incoming", private: true }))).toBe(0);
  });

  it("books one request for an agent's private note that reads as an order command: the app answers it with one note", () => {
    expect(expectedOscarRequests(messageEvent({ message_type: "outgoing", private: true, content: "/refund #1025 shipping" }))).toBe(1);
    expect(expectedOscarRequests(messageEvent({ message_type: "outgoing", private: true, content: "/confirm ABC234" }))).toBe(1);
    expect(expectedOscarRequests(messageEvent({ message_type: "outgoing", private: true, content: "**Order command preview**\n`/confirm ABC234`" }))).toBe(0);
  });
});
