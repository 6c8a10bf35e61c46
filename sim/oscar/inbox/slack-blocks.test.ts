import { describe, expect, it } from "vitest";
import { urgentAlert } from "../../../app/slack/alerts";
import { renderMrkdwn, renderSlackMessage } from "./slack-blocks";

// Expected HTML is written out by hand: escapeHtml writes `<` as &#60;, `>` as &#62;, `&` as &#38;.
describe("the agent inbox's Slack view", () => {
  it("shows escaped text as text: a typed <!channel> or <script> stays inert", () => {
    expect(renderMrkdwn("*Customer*\nMaya &lt;script&gt;alert(1)&lt;/script&gt;")).toBe("<strong>Customer</strong><br>Maya &#60;script&#62;alert(1)&#60;/script&#62;");
    expect(renderMrkdwn("&lt;!channel&gt; hi")).toBe("&#60;!channel&#62; hi");
    expect(renderMrkdwn("&amp;lt;b&amp;gt;")).toBe("&#38;lt;b&#38;gt;");
  });

  it("shows a real mention as text that notifies nobody, and raw tags as text", () => {
    expect(renderMrkdwn("<!channel> and <!here|@here> and <@U123> in <#C1|support>")).toBe(
      '<span class="slack-mention">@channel</span> and <span class="slack-mention">@here</span> and <span class="slack-mention">@U123</span> in <span class="slack-mention">#support</span>',
    );
    expect(renderMrkdwn("<img src=x onerror=alert(1)>")).toBe("img src=x onerror=alert(1)");
  });

  it("links only http(s) URLs", () => {
    expect(renderMrkdwn("<javascript:alert(1)|click>")).toBe("click");
    expect(renderMrkdwn("<https://example.com/?a=1&amp;b=2|the *site*>")).toBe('<a href="https://example.com/?a=1&#38;b=2" rel="noopener noreferrer">the *site*</a>');
    expect(renderMrkdwn("<https://example.com>")).toBe('<a href="https://example.com/" rel="noopener noreferrer">https://example.com</a>');
  });

  it("nests bold and italic, and quotes every line of a quote", () => {
    expect(renderMrkdwn("*bold _italic_* and _*both*_ and ~gone~")).toBe("<strong>bold <em>italic</em></strong> and <em><strong>both</strong></em> and <del>gone</del>");
    expect(renderMrkdwn("*a _b* c_")).toBe("<strong>a _b</strong> c_");
    expect(renderMrkdwn(">line one\n>&lt;img src=x onerror=alert(1)&gt;\nafter")).toBe("<blockquote>line one<br>&#60;img src=x onerror=alert(1)&#62;</blockquote>after");
  });

  it("renders the app's urgent alert, hostile shopper text included, block by block", () => {
    const alert = urgentAlert({ conversationId: "conv_1", customer: "Maya <!channel>", orderSummary: null }, ["refund"], "<img src=x onerror=alert(1)>");
    expect(renderSlackMessage(alert)).toBe(
      [
        '<h3 class="slack-header">Urgent conversation</h3>',
        '<div class="slack-section"><div class="slack-fields"><div class="slack-field"><strong>Customer</strong><br>Maya &#60;!channel&#62;</div><div class="slack-field"><strong>Matched</strong><br>refund</div></div></div>',
        '<div class="slack-section"><div class="slack-text"><blockquote>&#60;img src=x onerror=alert(1)&#62;</blockquote></div></div>',
        '<div class="slack-actions"><a class="slack-button" href="https://app.oscarchat.ai/conversations/conv_1" rel="noopener noreferrer">Open conversation</a></div>',
      ].join("\n"),
    );
  });

  it("renders dividers, context and buttons, and names a block it does not show", () => {
    const message = {
      text: "ignored when there are blocks",
      blocks: [
        { type: "header", text: { type: "plain_text", text: "<b>Weekly</b>" } },
        { type: "divider" },
        { type: "context", elements: [{ type: "mrkdwn", text: "_small_" }, { type: "image", image_url: "https://x/y.png", alt_text: "<logo>" }] },
        { type: "actions", elements: [{ type: "button", text: { type: "plain_text", text: "Open" }, url: "javascript:alert(1)" }] },
        { type: "input<script>" },
      ],
    };
    expect(renderSlackMessage(message)).toBe(
      [
        '<h3 class="slack-header">&#60;b&#62;Weekly&#60;/b&#62;</h3>',
        '<hr class="slack-divider">',
        '<div class="slack-context"><span><em>small</em></span> <span>&#60;logo&#62;</span></div>',
        '<div class="slack-actions"><span class="slack-button">Open</span></div>',
        '<p class="slack-unsupported">Block not shown: input&#60;script&#62;</p>',
      ].join("\n"),
    );
    expect(renderSlackMessage({ text: "hello *there* <!everyone>" })).toBe('<div class="slack-text">hello <strong>there</strong> <span class="slack-mention">@everyone</span></div>');
  });
});
