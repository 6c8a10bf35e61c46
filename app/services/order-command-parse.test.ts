import { describe, expect, it } from "vitest";
import { parseOrderCommandNote } from "./order-command-parse";

describe("reading an agent's note as an order command", () => {
  it("reads each command as agents write it", () => {
    expect(parseOrderCommandNote("/cancel #1025")).toEqual({ type: "command", command: { kind: "cancel", orderName: "#1025" } });
    expect(parseOrderCommandNote("/refund 1025 shipping")).toEqual({ type: "command", command: { kind: "refund", orderName: "#1025", what: { shipping: true } } });
    expect(parseOrderCommandNote("/REFUND #1025 24,9")).toEqual({ type: "command", command: { kind: "refund", orderName: "#1025", what: { amount: "24.90" } } });
    expect(parseOrderCommandNote("/discount 10%")).toEqual({ type: "command", command: { kind: "discount", percent: 10 } });
    expect(parseOrderCommandNote("/resend-tracking #1025")).toEqual({ type: "command", command: { kind: "resend-tracking", orderName: "#1025" } });
    expect(parseOrderCommandNote("/confirm abc234")).toEqual({ type: "confirm", code: "ABC234" });
    expect(parseOrderCommandNote("/help")).toEqual({ type: "help" });
  });

  it("reads the address on the lines below /address", () => {
    expect(parseOrderCommandNote("/address #1025\nJane Doe\n12 Main St\nPortland\nOR 97205\nus")).toEqual({
      type: "command",
      command: {
        kind: "address",
        orderName: "#1025",
        address: { firstName: "Jane", lastName: "Doe", address1: "12 Main St", address2: null, city: "Portland", provinceCode: "OR", zip: "97205", countryCode: "US" },
      },
    });
  });

  it("answers a command word written wrongly with how to write it, and ignores every other note", () => {
    expect(parseOrderCommandNote("/refund #1025 lots")).toMatchObject({ type: "malformed", kind: "refund" });
    expect(parseOrderCommandNote("/refund #1025 0")).toMatchObject({ type: "malformed", kind: "refund" });
    expect(parseOrderCommandNote("/discount 150%")).toMatchObject({ type: "malformed", kind: "discount" });
    expect(parseOrderCommandNote("/address #1025\nonly one line")).toMatchObject({ type: "malformed", kind: "address" });
    expect(parseOrderCommandNote("/cancel #1025 #1026")).toMatchObject({ type: "malformed", kind: "cancel" });
    expect(parseOrderCommandNote("Customer wants to /cancel #1025")).toEqual({ type: "not-a-command" });
    expect(parseOrderCommandNote("**Order command preview**\n`/confirm ABC234`")).toEqual({ type: "not-a-command" });
    expect(parseOrderCommandNote(null)).toEqual({ type: "not-a-command" });
  });
});
