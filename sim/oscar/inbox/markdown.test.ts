import { describe, expect, it } from "vitest";
import { markdownLink, SHOPIFY_ADMIN_HOSTS } from "../../../app/text/escape";
import { renderMarkdown } from "./markdown";

// Expected HTML is written out by hand: escapeHtml writes `<` as &#60;, `>` as &#62;, `&` as &#38;.
describe("the agent inbox's markdown for the app's private notes", () => {
  it("shows raw HTML as text, never as markup", () => {
    expect(renderMarkdown("<script>alert(1)</script>")).toBe("<p>&#60;script&#62;alert(1)&#60;/script&#62;</p>");
    expect(renderMarkdown("<img src=x onerror=alert(1)>")).toBe("<p>&#60;img src=x onerror=alert(1)&#62;</p>");
    expect(renderMarkdown("# Title <b>bold</b>")).toBe("<h3>Title &#60;b&#62;bold&#60;/b&#62;</h3>");
  });

  it("never turns a javascript: or data: destination into a link", () => {
    expect(renderMarkdown("[click](javascript:alert%281%29)")).toBe("<p>click</p>");
    expect(renderMarkdown("[click](JaVaScRiPt:alert(1))")).toBe("<p>[click](JaVaScRiPt:alert(1))</p>");
    expect(renderMarkdown("[x](data:text/html;base64,PHNjcmlwdD4=)")).toBe("<p>x</p>");
    expect(renderMarkdown("<javascript:alert(1)>")).toBe("<p>&#60;javascript:alert(1)&#62;</p>");
    expect(renderMarkdown("![pic <b>](javascript:alert%281%29)")).toBe("<p>pic &#60;b&#62;</p>");
  });

  it("links http(s) destinations, with the URL normalised inside the attribute", () => {
    expect(renderMarkdown('[x](https://example.com/a"b)')).toBe('<p><a href="https://example.com/a%22b" rel="noopener noreferrer">x</a></p>');
    expect(renderMarkdown("[**Ada**](http://example.com/?a=1&b=2)")).toBe('<p><a href="http://example.com/?a=1&#38;b=2" rel="noopener noreferrer"><strong>Ada</strong></a></p>');
  });

  it("keeps backslash-escaped punctuation literal, as the app's escapeMarkdown intends", () => {
    expect(renderMarkdown("\\[x\\]\\(javascript:y\\) \\*not bold\\*")).toBe("<p>[x](javascript:y) *not bold*</p>");
    const link = markdownLink("<img src=x onerror=alert(1)>", "https://admin.shopify.com/store/s/orders/1", SHOPIFY_ADMIN_HOSTS);
    expect(renderMarkdown(`**Shopify customer: ${link}**`)).toBe(
      '<p><strong>Shopify customer: <a href="https://admin.shopify.com/store/s/orders/1" rel="noopener noreferrer">&#60;img src=x onerror=alert(1)&#62;</a></strong></p>',
    );
  });

  it("nests emphasis properly and leaves crossed markers as text", () => {
    expect(renderMarkdown("***both*** and **bold _italic_**")).toBe("<p><em><strong>both</strong></em> and <strong>bold <em>italic</em></strong></p>");
    expect(renderMarkdown("**a *b** c*")).toBe("<p><strong>a *b</strong> c*</p>");
    expect(renderMarkdown("snake_case_name")).toBe("<p>snake_case_name</p>");
  });

  it("renders the note's order table, lists and line breaks", () => {
    const note = [
      "| Order | Total |",
      "| --- | --- |",
      "| [\\#1001](https://admin.shopify.com/store/s/orders/1) | \\$10\\.00 \\| <b> |",
      "",
      "- one",
      "- **two**",
      "1. first",
      "",
      "line one",
      "line two",
    ].join("\n");
    expect(renderMarkdown(note)).toBe(
      [
        '<div class="table-scroll" tabindex="0"><table><thead><tr><th>Order</th><th>Total</th></tr></thead><tbody><tr><td><a href="https://admin.shopify.com/store/s/orders/1" rel="noopener noreferrer">#1001</a></td><td>$10.00 | &#60;b&#62;</td></tr></tbody></table></div>',
        "<ul><li>one</li><li><strong>two</strong></li></ul>",
        "<ol><li>first</li></ol>",
        "<p>line one<br>line two</p>",
      ].join("\n"),
    );
  });

  it("cannot be fooled by the renderer's own placeholder characters", () => {
    expect(renderMarkdown("a\u00000\u0000b [x](https://example.com)")).toBe('<p>a0b <a href="https://example.com/" rel="noopener noreferrer">x</a></p>');
  });
});
