import { describe, expect, it } from "vitest";
import { codeHash, confirmationCode } from "./order-commands.server";

describe("order command confirmation codes", () => {
  const SECRET = "app-secret-for-codes";

  it("repeats for the same note (a retried preview shows the same code) and differs for another note", () => {
    const code = confirmationCode(SECRET, "a.myshopify.com", "conv_1", "msg_1");
    expect(code).toMatch(/^[A-HJ-KM-NP-Z2-9]{6}$/);
    expect(confirmationCode(SECRET, "a.myshopify.com", "conv_1", "msg_1")).toBe(code);
    expect(confirmationCode(SECRET, "a.myshopify.com", "conv_1", "msg_2")).not.toBe(code);
    // Without the app's secret nobody can make the code a note would get.
    expect(confirmationCode("another-secret", "a.myshopify.com", "conv_1", "msg_1")).not.toBe(code);
  });

  it("is stored as a hash bound to its shop and conversation, so the same code typed elsewhere matches nothing", () => {
    const stored = codeHash("a.myshopify.com", "conv_1", "ABC234");
    expect(stored).not.toContain("ABC234");
    expect(codeHash("a.myshopify.com", "conv_1", "abc234")).toBe(stored);
    expect(codeHash("a.myshopify.com", "conv_2", "ABC234")).not.toBe(stored);
    expect(codeHash("b.myshopify.com", "conv_1", "ABC234")).not.toBe(stored);
  });
});
