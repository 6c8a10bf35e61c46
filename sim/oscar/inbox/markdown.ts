import { escapeHtml } from "../../../app/text/escape";
import { createSlots, httpHref, withoutSlotMarks, wrapMatches } from "./html";

/**
 * The markdown the app posts as private notes (app/services/enrichment-note.ts: headings, bold,
 * italic, lists, GFM tables, links into the Shopify admin and carriers, backslash escapes), rendered
 * as Oscar's inbox would show it. Everything else is text: no raw HTML, no images, and a link
 * becomes one only when its destination is http(s).
 */
export function renderMarkdown(source: string): string {
  return renderBlocks(withoutSlotMarks(source).replace(/\r\n?/g, "\n").split("\n"), 0);
}

const HEADING = /^ {0,3}(#{1,6})(?:\s+(.*?))?(?:\s+#+)?\s*$/;
const RULE = /^ {0,3}(?:(?:-\s*){3,}|(?:\*\s*){3,}|(?:_\s*){3,})$/;
const LIST_ITEM = /^ {0,3}([-*+]|\d{1,9}[.)])\s+(.*)$/;
const QUOTE = /^ {0,3}>\s?(.*)$/;
const TABLE_DELIMITER = /^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$/;
const UNESCAPED_PIPE = /(?<!\\)\|/;
// Quotes inside quotes are rare in notes; past this depth they are shown as text.
const MAX_QUOTE_DEPTH = 4;

const isTableStart = (lines: string[], i: number) => UNESCAPED_PIPE.test(lines[i]) && i + 1 < lines.length && TABLE_DELIMITER.test(lines[i + 1]) && lines[i + 1].includes("-");
const startsBlock = (lines: string[], i: number) => HEADING.test(lines[i]) || RULE.test(lines[i]) || LIST_ITEM.test(lines[i]) || QUOTE.test(lines[i]) || isTableStart(lines, i);

function renderBlocks(lines: string[], depth: number): string {
  const out: string[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (line.trim() === "") {
      i++;
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      // A note sits under the page's own h1/h2: its top heading is an h3.
      const level = Math.min(heading[1].length + 2, 6);
      out.push(`<h${level}>${renderInline(heading[2] ?? "")}</h${level}>`);
      i++;
    } else if (RULE.test(line)) {
      out.push("<hr>");
      i++;
    } else if (isTableStart(lines, i)) {
      const header = cells(line);
      const rows: string[][] = [];
      for (i += 2; i < lines.length && lines[i].trim() !== "" && UNESCAPED_PIPE.test(lines[i]); i++) rows.push(cells(lines[i]));
      // As in GFM, every row has the header's number of cells.
      const fit = (row: string[]) => header.map((_, c) => row[c] ?? "");
      out.push(
        `<div class="table-scroll" tabindex="0"><table><thead><tr>${header.map((c) => `<th>${renderInline(c)}</th>`).join("")}</tr></thead>` +
          `<tbody>${rows.map((row) => `<tr>${fit(row).map((c) => `<td>${renderInline(c)}</td>`).join("")}</tr>`).join("")}</tbody></table></div>`,
      );
    } else if (LIST_ITEM.exec(line)) {
      const ordered = /\d/.test(LIST_ITEM.exec(line)![1]);
      const items: string[] = [];
      for (; i < lines.length; i++) {
        const item = LIST_ITEM.exec(lines[i]);
        if (!item || /\d/.test(item[1]) !== ordered) break;
        items.push(`<li>${renderInline(item[2])}</li>`);
      }
      out.push(ordered ? `<ol>${items.join("")}</ol>` : `<ul>${items.join("")}</ul>`);
    } else if (QUOTE.test(line) && depth < MAX_QUOTE_DEPTH) {
      const quoted: string[] = [];
      for (; i < lines.length && QUOTE.test(lines[i]); i++) quoted.push(QUOTE.exec(lines[i])![1]);
      out.push(`<blockquote>${renderBlocks(quoted, depth + 1)}</blockquote>`);
    } else {
      const paragraph = [line];
      for (i++; i < lines.length && lines[i].trim() !== "" && !startsBlock(lines, i); i++) paragraph.push(lines[i]);
      out.push(`<p>${paragraph.map((l) => renderInline(l.trim())).join("<br>")}</p>`);
    }
  }
  return out.join("\n");
}

/** A table row's cells; `\|` stays in its cell (the inline pass turns it into a plain bar). */
function cells(row: string): string[] {
  let text = row.trim();
  if (text.startsWith("|")) text = text.slice(1);
  if (text.endsWith("|") && !text.endsWith("\\|")) text = text.slice(0, -1);
  return text.split(UNESCAPED_PIPE).map((cell) => cell.trim());
}

const BACKSLASH_ESCAPE = /\\([!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~])/g;
const CODE_SPAN = /`([^`]+)`/g;
const IMAGE = /!\[([^\]]*)\]\(([^()\s]*)\)/g;
const LINK = /\[([^\]]*)\]\(([^()\s]*)\)/g;
// Emphasis: the character before the marker, then the text inside (no space just inside a marker).
const STRONG_EM = /(^|[^*])\*\*\*(?=[^\s*])(.*?[^\s*])\*\*\*(?!\*)/g;
const STRONG_STAR = /(^|[^*])\*\*(?=[^\s*])(.*?[^\s*])\*\*(?!\*)/g;
const STRONG_UNDERSCORE = /(^|[^\w_])__(?=[^\s_])(.*?[^\s_])__(?![\w_])/g;
const EM_STAR = /(^|[^*])\*(?=[^\s*])(.*?[^\s*])\*(?!\*)/g;
const EM_UNDERSCORE = /(^|[^\w_])_(?=[^\s_])(.*?[^\s_])_(?![\w_])/g;

function emphasize(escaped: string): string {
  let out = wrapMatches(escaped, STRONG_EM, "<em><strong>", "</strong></em>");
  out = wrapMatches(out, STRONG_STAR, "<strong>", "</strong>");
  out = wrapMatches(out, STRONG_UNDERSCORE, "<strong>", "</strong>");
  out = wrapMatches(out, EM_STAR, "<em>", "</em>");
  return wrapMatches(out, EM_UNDERSCORE, "<em>", "</em>");
}

function renderInline(text: string): string {
  const slots = createSlots();
  let out = text.replace(BACKSLASH_ESCAPE, (_, c: string) => slots.hold(escapeHtml(c), c));
  out = out.replace(CODE_SPAN, (_, code: string) => slots.hold(`<code>${escapeHtml(code)}</code>`));
  // Images are not shown in a note; their description is.
  out = out.replace(IMAGE, (_, alt: string) => slots.hold(emphasize(escapeHtml(alt))));
  out = out.replace(LINK, (_, label: string, destination: string) => {
    const labelHtml = emphasize(escapeHtml(label));
    const href = httpHref(slots.raw(destination));
    return slots.hold(href ? `<a href="${href}" rel="noopener noreferrer">${labelHtml}</a>` : labelHtml);
  });
  return slots.restore(emphasize(escapeHtml(out)));
}
