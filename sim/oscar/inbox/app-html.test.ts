import { describe, expect, it } from "vitest";
import { renderAppHtml, renderPlainText } from "./app-html";

describe("the agent inbox's view of the app's HTML replies", () => {
  it("keeps the order-status answer's markup, carrier link and all, and drops its marker comment", () => {
    const answer =
      '<p>Here is the latest on order <strong>#1001</strong> (placed 2026-11-01):</p><ul><li>Tracking: <a href="https://www.ups.com/track?n=1Z&#38;x=1">UPS 1Z</a></li></ul><!-- oc-abc -->';
    expect(renderAppHtml(answer)).toBe(
      '<p>Here is the latest on order <strong>#1001</strong> (placed 2026-11-01):</p><ul><li>Tracking: <a href="https://www.ups.com/track?n=1Z&#38;x=1" rel="noopener noreferrer">UPS 1Z</a></li></ul>',
    );
  });

  it("drops scripts, images and attributes; keeps their text as text", () => {
    expect(renderAppHtml('<script>alert(1)</script><img src=x onerror=alert(1)><p onclick="x()">hi</p>')).toBe("alert(1)<p>hi</p>");
    expect(renderAppHtml("a < b & c &amp; d")).toBe("a &lt; b &amp; c &amp; d");
  });

  it("never links javascript:, however it is spelled", () => {
    expect(renderAppHtml('<a href="javascript:alert(1)">x</a> <a href="jav&#x61;script&#58;alert(1)">y</a> <a href=JAVASCRIPT:1>z</a>')).toBe("x y z");
  });

  it("closes what the message left open and ignores stray closers", () => {
    expect(renderAppHtml("</p><ul><li>a<strong>b")).toBe("<ul><li>a<strong>b</strong></li></ul>");
  });

  it("shows plain text as typed, line breaks kept", () => {
    expect(renderPlainText("<b>hi</b>\nthere")).toBe("&#60;b&#62;hi&#60;/b&#62;<br>there");
  });
});
