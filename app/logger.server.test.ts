import { describe, expect, it } from "vitest";
import { captureLogs } from "../test/harness/log-capture";

describe("logger", () => {
  it("never writes secrets or customers' personal data, however deep they sit", () => {
    const { logger, text } = captureLogs({ name: "oscar-chat", level: "info" });
    logger.info(
      {
        shop: "demo.myshopify.com",
        apiKey: "osk_live_supersecret",
        headers: { authorization: "Bearer osk_live_supersecret", "x-oscar-signature": "sha256=abcd" },
        event: { data: { contact: { email: "jane@example.com", name: "Jane Doe" }, message: { content: "my card 4242" } } },
        customer: { email: "jane@example.com", phone: "+1 555 0100" },
      },
      "received",
    );
    const out = text();
    for (const secret of ["osk_live_supersecret", "jane@example.com", "Jane Doe", "4242", "+1 555 0100", "sha256=abcd"]) {
      expect(out).not.toContain(secret);
    }
    // What is safe to log still arrives, so the line stays useful.
    expect(JSON.parse(out)).toMatchObject({ shop: "demo.myshopify.com", msg: "received", apiKey: "[redacted]" });
  });
});
