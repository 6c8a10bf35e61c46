import { z } from "zod";
import { escapeHtml } from "../../../app/text/escape";
import { createSlots, httpHref, withoutSlotMarks, wrapMatches } from "./html";

/**
 * Slack messages as Slack would show them, from what the app sends (app/slack/alerts.ts,
 * app/slack/weekly-report.ts): Block Kit header, section (text and fields), context, divider and
 * actions with link buttons, and mrkdwn (`*bold*`, `_italic_`, `~strike~`, code, quotes, `<url|text>`
 * links and mentions). All text is escaped; a link becomes one only when its URL is http(s).
 */

const TextObject = z.looseObject({ type: z.enum(["mrkdwn", "plain_text"]), text: z.string() });
type TextObject = z.infer<typeof TextObject>;
const Button = z.looseObject({ type: z.literal("button"), text: TextObject, url: z.string().optional() });
const Block = z.discriminatedUnion("type", [
  z.looseObject({ type: z.literal("header"), text: TextObject }),
  z.looseObject({ type: z.literal("section"), text: TextObject.optional(), fields: z.array(TextObject).optional(), accessory: z.unknown().optional() }),
  z.looseObject({ type: z.literal("context"), elements: z.array(z.union([TextObject, z.looseObject({ type: z.literal("image"), alt_text: z.string() })])) }),
  z.looseObject({ type: z.literal("divider") }),
  z.looseObject({ type: z.literal("actions"), elements: z.array(z.union([Button, z.looseObject({ type: z.string() })])) }),
]);
type Block = z.infer<typeof Block>;

export type SlackMessageBody = { text?: string; blocks?: unknown[] };

export function renderSlackMessage(message: SlackMessageBody): string {
  const blocks = Array.isArray(message.blocks) ? message.blocks : [];
  // Slack shows `text` only when there are no blocks (it is the notification's fallback).
  if (blocks.length === 0) return `<div class="slack-text">${renderMrkdwn(message.text ?? "")}</div>`;
  return blocks.map(renderBlock).join("\n");
}

function renderBlock(input: unknown): string {
  const parsed = Block.safeParse(input);
  if (!parsed.success) {
    const type = typeof input === "object" && input !== null && "type" in input ? String(input.type) : "unknown";
    return `<p class="slack-unsupported">Block not shown: ${escapeHtml(type)}</p>`;
  }
  const block: Block = parsed.data;
  switch (block.type) {
    case "header":
      return `<h3 class="slack-header">${escapeHtml(block.text.text)}</h3>`;
    case "section": {
      const text = block.text ? `<div class="slack-text">${renderText(block.text)}</div>` : "";
      const fields = block.fields?.length ? `<div class="slack-fields">${block.fields.map((f) => `<div class="slack-field">${renderText(f)}</div>`).join("")}</div>` : "";
      return `<div class="slack-section">${text}${fields}</div>`;
    }
    case "context":
      return `<div class="slack-context">${block.elements.map((e) => `<span>${e.type === "image" ? escapeHtml(e.alt_text) : renderText(e)}</span>`).join(" ")}</div>`;
    case "divider":
      return `<hr class="slack-divider">`;
    case "actions":
      return `<div class="slack-actions">${block.elements.map(renderActionElement).join("")}</div>`;
  }
}

function renderActionElement(element: unknown): string {
  const button = Button.safeParse(element);
  if (!button.success) return "";
  const label = escapeHtml(button.data.text.text);
  const href = button.data.url ? httpHref(button.data.url) : null;
  return href ? `<a class="slack-button" href="${href}" rel="noopener noreferrer">${label}</a>` : `<span class="slack-button">${label}</span>`;
}

const renderText = (text: TextObject) => (text.type === "mrkdwn" ? renderMrkdwn(text.text) : escapeHtml(text.text).replace(/\n/g, "<br>"));

/** Slack's three escapes (`&amp;` last, so `&amp;lt;` stays the text `&lt;`). */
const unescapeSlack = (text: string) => text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");

const CODE_BLOCK = /```([\s\S]*?)```/g;
const CODE = /`([^`\n]+)`/g;
// In Slack text a raw `<` only ever opens a link or mention; typed ones arrive as `&lt;`.
const ANGLE_TOKEN = /<([^<>\n]*)>/g;
const BOLD = /(^|[^A-Za-z0-9*])\*(?=[^\s*])([^*\n]*?[^\s*])\*(?![A-Za-z0-9*])/g;
const ITALIC = /(^|[^A-Za-z0-9_])_(?=[^\s_])([^_\n]*?[^\s_])_(?![A-Za-z0-9_])/g;
const STRIKE = /(^|[^A-Za-z0-9~])~(?=[^\s~])([^~\n]*?[^\s~])~(?![A-Za-z0-9~])/g;

/** Slack mrkdwn as HTML. */
export function renderMrkdwn(source: string): string {
  const slots = createSlots();
  let text = withoutSlotMarks(source);
  text = text.replace(CODE_BLOCK, (_, code: string) => slots.hold(`<pre>${escapeHtml(unescapeSlack(code))}</pre>`));
  text = text.replace(CODE, (_, code: string) => slots.hold(`<code>${escapeHtml(unescapeSlack(code))}</code>`));
  text = text.replace(ANGLE_TOKEN, (_, token: string) => slots.hold(renderAngleToken(token)));

  // A raw `>` opening a line quotes it (slackQuote in app/text/escape.ts); typed ones arrive as `&gt;`.
  const lines = text.split("\n");
  const out: string[] = [];
  for (let i = 0; i < lines.length; ) {
    if (lines[i].startsWith(">")) {
      const quoted: string[] = [];
      for (; i < lines.length && lines[i].startsWith(">"); i++) quoted.push(formatLine(lines[i].slice(1)));
      out.push(`<blockquote>${quoted.join("<br>")}</blockquote>`);
    } else {
      const plain: string[] = [];
      for (; i < lines.length && !lines[i].startsWith(">"); i++) plain.push(formatLine(lines[i]));
      out.push(plain.join("<br>"));
    }
  }
  return slots.restore(out.join(""));
}

function formatLine(line: string): string {
  let out = escapeHtml(unescapeSlack(line));
  out = wrapMatches(out, BOLD, "<strong>", "</strong>");
  out = wrapMatches(out, ITALIC, "<em>", "</em>");
  return wrapMatches(out, STRIKE, "<del>", "</del>");
}

/** `<url|label>`, `<url>`, `<!channel>`, `<@U123>`, `<#C123|name>`, `<!date^…|fallback>`. */
function renderAngleToken(token: string): string {
  const bar = token.indexOf("|");
  const target = unescapeSlack(bar === -1 ? token : token.slice(0, bar));
  const label = bar === -1 ? null : unescapeSlack(token.slice(bar + 1));
  if (target.startsWith("!")) {
    // Special mentions (@channel, @here) and dates: shown as text, never as a notification.
    const name = target.slice(1).split("^")[0];
    return `<span class="slack-mention">${escapeHtml(label ?? `@${name}`)}</span>`;
  }
  if (target.startsWith("@")) return `<span class="slack-mention">${escapeHtml(label ?? target)}</span>`;
  if (target.startsWith("#")) return `<span class="slack-mention">#${escapeHtml(label ?? target.slice(1))}</span>`;
  const href = httpHref(target);
  const text = escapeHtml(label ?? target);
  return href ? `<a href="${href}" rel="noopener noreferrer">${text}</a>` : text;
}
