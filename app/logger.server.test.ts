import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "./logger.server";

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: createLogger({ level: "info", destination }), text: () => lines.join("") };
}

describe("logger", () => {
  it("never writes secrets or customers' personal data, however deep they sit", () => {
    const { logger, text } = capture();
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
