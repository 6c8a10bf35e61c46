import { escapeHtml } from "../../../app/text/escape";

/**
 * HTML built from a tagged template: every interpolated value is escaped unless it is already
 * `Html` (made by this template or by a renderer that escaped it), so nothing reaches a page raw.
 */
export class Html {
  constructor(readonly value: string) {}
  toString() {
    return this.value;
  }
}

type Part = Html | string | number | null | undefined | false | Part[];

const partToHtml = (part: Part): string => {
  if (part === null || part === undefined || part === false) return "";
  if (Array.isArray(part)) return part.map(partToHtml).join("");
  if (part instanceof Html) return part.value;
  return escapeHtml(String(part));
};

export function html(strings: TemplateStringsArray, ...parts: Part[]): Html {
  return new Html(strings.reduce((out, text, i) => out + text + (i < parts.length ? partToHtml(parts[i]) : ""), ""));
}

/** Markup a renderer produced after escaping everything it took from its input. */
export const trusted = (value: string) => new Html(value);

/** An href only for http(s) URLs (escaped for the attribute); null for `javascript:`, `data:` and the rest. */
export function httpHref(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return null;
  }
  return parsed.protocol === "http:" || parsed.protocol === "https:" ? escapeHtml(parsed.href) : null;
}

const TAG = /<(\/?)([a-z]+)\b[^>]*>/g;

/** Whether every tag in this renderer-made markup closes in order (so a wrapper around it nests properly). */
export function tagsBalance(markup: string): boolean {
  const open: string[] = [];
  for (const [, closing, name] of markup.matchAll(TAG)) {
    if (name === "br" || name === "hr") continue;
    if (!closing) open.push(name);
    else if (open.pop() !== name) return false;
  }
  return open.length === 0;
}

/**
 * Wraps each match of `pattern` (groups: the character before the marker, then the inner text) in
 * `open`/`close`, unless the inner text would cut another element in two: that emphasis stays literal.
 */
export function wrapMatches(text: string, pattern: RegExp, open: string, close: string): string {
  return text.replace(pattern, (whole, before: string, inner: string) => (tagsBalance(inner) ? `${before}${open}${inner}${close}` : whole));
}

/** Holds finished markup out of the way of later passes (emphasis must not see a link's href). */
export function createSlots() {
  const slots: { html: string; raw: string }[] = [];
  // eslint-disable-next-line no-control-regex -- NUL marks a slot: input never carries one (withoutSlotMarks)
  const SLOT = /\u0000(\d+)\u0000/g;
  return {
    hold: (markup: string, raw = "") => `\u0000${slots.push({ html: markup, raw }) - 1}\u0000`,
    /** The text as typed, with held escapes back as their plain characters (for a link destination). */
    raw: (text: string) => text.replace(SLOT, (_, i: string) => slots[Number(i)].raw),
    /** Puts the held markup back, held markup inside held markup too. */
    restore(text: string): string {
      let out = text;
      while (SLOT.test(out)) out = out.replace(SLOT, (_, i: string) => slots[Number(i)].html);
      return out;
    },
  };
}

/** Input never carries the slot delimiter, so held markup cannot be forged. */
// eslint-disable-next-line no-control-regex -- removing NUL is the point
export const withoutSlotMarks = (text: string) => text.replace(/\u0000/g, "");
