import { escapeHtml } from "../../../app/text/escape";
import { httpHref } from "./html";

/**
 * The HTML the app posts as chat replies (app/services/order-status.server.ts: paragraphs, strong,
 * lists, links to carriers, an HTML comment holding its idempotency marker), shown through an allow
 * list: those tags without attributes, `<a>` with an http(s) href only; any other tag is dropped,
 * comments are removed, and all text stays text.
 */
const ALLOWED = new Set(["p", "strong", "em", "b", "i", "ul", "ol", "li", "br", "a"]);
const TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[a-zA-Z_:][-a-zA-Z0-9_:.]*(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*\/?>/g;
const COMMENT = /<!--[\s\S]*?(?:-->|$)/g;
const HREF = /\shref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))/i;
// A character reference the browser reads as one character of text; any other `&` is escaped.
const BARE_AMPERSAND = /&(?!#\d{1,7};|#[xX][0-9a-fA-F]{1,6};|[a-zA-Z][a-zA-Z0-9]{1,31};)/g;

const textOf = (chunk: string) => chunk.replace(BARE_AMPERSAND, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** Reads an attribute value as the browser would (`javascript&#58;` is `javascript:`). */
function decodeAttribute(value: string): string {
  return value
    .replace(/&#[xX]([0-9a-fA-F]{1,6});/g, (_, hex: string) => String.fromCodePoint(Math.min(parseInt(hex, 16), 0x10ffff)))
    .replace(/&#(\d{1,7});/g, (_, dec: string) => String.fromCodePoint(Math.min(Number(dec), 0x10ffff)))
    .replace(/&(quot|apos|lt|gt|colon|tab|newline|amp);/gi, (_, name: string) => ({ quot: '"', apos: "'", lt: "<", gt: ">", colon: ":", tab: "\t", newline: "\n", amp: "&" })[name.toLowerCase()] ?? "");
}

export function renderAppHtml(source: string): string {
  const content = source.replace(COMMENT, "");
  const open: { name: string; shown: boolean }[] = [];
  let out = "";
  let last = 0;
  for (const match of content.matchAll(TAG)) {
    out += textOf(content.slice(last, match.index));
    last = match.index + match[0].length;
    const [, closing, rawName, attributes] = match;
    const name = rawName.toLowerCase();
    if (!ALLOWED.has(name)) continue;
    if (name === "br") {
      if (!closing) out += "<br>";
      continue;
    }
    if (closing) {
      const at = open.map((o) => o.name).lastIndexOf(name);
      if (at === -1) continue;
      while (open.length > at) {
        const element = open.pop()!;
        if (element.shown) out += `</${element.name}>`;
      }
      continue;
    }
    if (name === "a") {
      const href = HREF.exec(attributes);
      const safe = href ? httpHref(decodeAttribute(href[1] ?? href[2] ?? href[3] ?? "")) : null;
      open.push({ name, shown: safe !== null });
      if (safe) out += `<a href="${safe}" rel="noopener noreferrer">`;
      continue;
    }
    open.push({ name, shown: true });
    out += `<${name}>`;
  }
  out += textOf(content.slice(last));
  while (open.length) {
    const element = open.pop()!;
    if (element.shown) out += `</${element.name}>`;
  }
  return out;
}

/** A plain-text message: every character as typed, line breaks kept. */
export const renderPlainText = (text: string) => escapeHtml(text).replace(/\r\n|\n|\r/g, "<br>");
