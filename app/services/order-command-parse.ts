import type { OrderCommandKind } from "../models/order-commands.server";

/**
 * What an agent asked for in a private note, read from its text. Parsing only: whether the agent
 * may, whether the order is the customer's and what Shopify would do are decided elsewhere.
 */
export type ShippingAddress = {
  firstName: string | null;
  lastName: string | null;
  address1: string;
  address2: string | null;
  city: string;
  provinceCode: string | null;
  zip: string;
  countryCode: string;
};

export type OrderCommand =
  | { kind: "cancel"; orderName: string }
  | { kind: "refund"; orderName: string; what: { shipping: true } | { amount: string } }
  | { kind: "address"; orderName: string; address: ShippingAddress }
  | { kind: "discount"; percent: number }
  | { kind: "resend-tracking"; orderName: string };

export type ParsedNote =
  | { type: "command"; command: OrderCommand }
  | { type: "confirm"; code: string }
  | { type: "help" }
  /** A note that starts with a known command word but does not read as one: say how to write it. */
  | { type: "malformed"; kind: OrderCommandKind | "confirm"; usage: string }
  | { type: "not-a-command" };

export const USAGE: Record<OrderCommandKind | "confirm", string> = {
  cancel: "/cancel #1025",
  refund: "/refund #1025 shipping  or  /refund #1025 24.90",
  address: "/address #1025, then on the next lines: name, street, (second line), city, state or province code and ZIP, country code, e.g.\nJane Doe\n12 Main St\nPortland\nOR 97205\nUS",
  discount: "/discount 10%",
  "resend-tracking": "/resend-tracking #1025",
  confirm: "/confirm ABC234",
};

/** The confirmation code's alphabet: no 0/O or 1/I/L, so a code read aloud or retyped stays the same. */
export const CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
export const CODE_LENGTH = 6;

const ORDER_NAME = /^#?(\d{1,12})$/;
// A money amount as an agent types it: digits, at most two decimals, "." or "," as the separator.
const AMOUNT = /^(\d{1,9})(?:[.,](\d{1,2}))?$/;

function orderName(token: string | undefined): string | null {
  const match = token ? ORDER_NAME.exec(token) : null;
  return match ? `#${match[1]}` : null;
}

/** "24,9" → "24.90"; null for anything that is not a positive amount. */
export function parseAmount(token: string | undefined): string | null {
  const match = token ? AMOUNT.exec(token) : null;
  if (!match) return null;
  const amount = `${match[1]}.${(match[2] ?? "").padEnd(2, "0")}`;
  return Number(amount) > 0 ? amount : null;
}

/**
 * An address typed below `/address #1025`, one part a line: the name, the street (and an optional
 * second line), the city, "<state or province code> <ZIP>" (or the ZIP alone), and a two-letter
 * country code last.
 */
export function parseAddress(lines: string[]): ShippingAddress | null {
  const parts = lines.map((l) => l.trim()).filter(Boolean);
  if (parts.length < 5 || parts.length > 6) return null;
  const [name, address1, ...rest] = parts;
  const countryCode = rest.pop()!.toUpperCase();
  if (!/^[A-Z]{2}$/.test(countryCode)) return null;
  const regionLine = rest.pop()!;
  const city = rest.pop();
  const address2 = rest.pop() ?? null;
  if (!city) return null;
  const region = /^(?:([A-Za-z]{1,3})\s+)?([A-Za-z0-9][A-Za-z0-9 -]{1,11})$/.exec(regionLine);
  if (!region) return null;
  const [firstName, ...lastNames] = name.split(/\s+/);
  return {
    firstName: firstName || null,
    lastName: lastNames.join(" ") || null,
    address1,
    address2,
    city,
    provinceCode: region[1]?.toUpperCase() ?? null,
    zip: region[2].trim(),
    countryCode,
  };
}

/** Reads a note's text. Only a note whose first word is a command word is a command at all. */
export function parseOrderCommandNote(text: string | null): ParsedNote {
  if (!text) return { type: "not-a-command" };
  const [firstLine, ...moreLines] = text.trim().split(/\r?\n/);
  const [word, ...args] = firstLine.trim().split(/\s+/);
  const kind = word.toLowerCase();
  const malformed = (k: OrderCommandKind | "confirm"): ParsedNote => ({ type: "malformed", kind: k, usage: USAGE[k] });
  switch (kind) {
    case "/help":
      return { type: "help" };
    case "/confirm": {
      const code = args[0]?.toUpperCase();
      const valid = code && args.length === 1 && code.length === CODE_LENGTH && [...code].every((c) => CODE_ALPHABET.includes(c));
      // A code with letters the app never uses is still answered, as a code that does not exist.
      return code && args.length === 1 ? { type: "confirm", code: valid ? code : code.slice(0, 32) } : malformed("confirm");
    }
    case "/cancel":
    case "/resend-tracking": {
      const name = orderName(args[0]);
      const k = kind.slice(1) as "cancel" | "resend-tracking";
      return name && args.length === 1 ? { type: "command", command: { kind: k, orderName: name } } : malformed(k);
    }
    case "/refund": {
      const name = orderName(args[0]);
      if (!name || args.length !== 2) return malformed("refund");
      if (args[1].toLowerCase() === "shipping") return { type: "command", command: { kind: "refund", orderName: name, what: { shipping: true } } };
      const amount = parseAmount(args[1]);
      return amount ? { type: "command", command: { kind: "refund", orderName: name, what: { amount } } } : malformed("refund");
    }
    case "/address": {
      const name = orderName(args[0]);
      const address = parseAddress(moreLines);
      return name && args.length === 1 && address ? { type: "command", command: { kind: "address", orderName: name, address } } : malformed("address");
    }
    case "/discount": {
      const percent = /^(\d{1,2}|100)%?$/.exec(args[0] ?? "");
      const value = percent ? Number(percent[1]) : 0;
      return args.length === 1 && value >= 1 && value <= 100 ? { type: "command", command: { kind: "discount", percent: value } } : malformed("discount");
    }
    default:
      return { type: "not-a-command" };
  }
}
