// Shopify's search syntax for list queries (`customers(query: "email:ann@example.com")`,
// `orders(query: "updated_at:>2026-01-01 AND status:open")`): terms joined by AND (the default)
// or OR, negated with NOT or a leading "-", compared with ":" ":>" ":>=" ":<" ":<=", "*" for prefixes.

export type Comparator = "=" | ">" | ">=" | "<" | "<=";

export type SearchTerm = {
  /** null for free text, which matches any of the resource's text fields. */
  field: string | null;
  comparator: Comparator;
  value: string;
  negated: boolean;
};

/** Alternatives (OR) of conjunctions (AND). An empty query matches everything. */
export type SearchQuery = SearchTerm[][];

/** How a resource answers `field:value`: the values to compare, or undefined when it has no such field. */
export type SearchableFields<T> = Record<string, (item: T) => unknown>;

function tokenize(query: string): string[] {
  const tokens: string[] = [];
  const pattern = /-?[\w.]+:(?:[<>]=?)?(?:"[^"]*"|'[^']*'|[^\s()]+)|"[^"]*"|'[^']*'|[()]|[^\s()]+/g;
  for (const match of query.matchAll(pattern)) tokens.push(match[0]);
  return tokens;
}

function unquote(value: string): string {
  return /^(["']).*\1$/.test(value) ? value.slice(1, -1) : value;
}

function parseTerm(token: string, negated: boolean): SearchTerm {
  const leadingMinus = token.startsWith("-") && token.length > 1;
  const text = leadingMinus ? token.slice(1) : token;
  const fieldMatch = /^([\w.]+):(>=|<=|>|<)?(.*)$/s.exec(text);
  if (!fieldMatch) return { field: null, comparator: "=", value: unquote(text), negated: negated !== leadingMinus };
  return {
    field: fieldMatch[1].toLowerCase(),
    comparator: (fieldMatch[2] as Comparator | undefined) ?? "=",
    value: unquote(fieldMatch[3]),
    negated: negated !== leadingMinus,
  };
}

/** Parentheses are read as plain grouping marks and dropped: the fake's queries stay flat. */
export function parseSearchQuery(query: string | null | undefined): SearchQuery {
  const alternatives: SearchQuery = [[]];
  let negateNext = false;
  for (const token of tokenize(query ?? "")) {
    if (token === "(" || token === ")" || token === "AND") continue;
    if (token === "OR") {
      alternatives.push([]);
      continue;
    }
    if (token === "NOT") {
      negateNext = true;
      continue;
    }
    alternatives[alternatives.length - 1].push(parseTerm(token, negateNext));
    negateNext = false;
  }
  return alternatives.filter((terms) => terms.length > 0);
}

function flatten(value: unknown): unknown[] {
  if (Array.isArray(value)) return value.flatMap(flatten);
  return value === null || value === undefined ? [] : [value];
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}/;

/**
 * A field Shopify searches word by word rather than as one value: `email:"ann@example.com"` also
 * finds "jo.ann@example.com" and "ann@example.com.au", because every word of the query (ann,
 * example, com) is among the field's words. Assumed from the search syntax page, which splits
 * values into terms (https://shopify.dev/docs/api/usage/search-syntax), and from issue 16's report
 * that a customers search by email returns near misses; the app must compare the emails itself.
 */
export class TokenisedText {
  constructor(readonly text: string) {}
}

const wordsOf = (text: string) => text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);

function compareValues(actual: unknown, term: SearchTerm): boolean {
  if (actual instanceof TokenisedText) {
    if (term.comparator !== "=") return compareValues(actual.text, term);
    const words = new Set(wordsOf(actual.text));
    const wanted = wordsOf(term.value.replace(/\*$/, ""));
    return wanted.every((word) => words.has(word));
  }
  const wanted = term.value.toLowerCase();
  const text = String(actual).toLowerCase();
  if (term.comparator === "=") {
    if (wanted === "*") return true;
    if (wanted.endsWith("*")) return text.startsWith(wanted.slice(0, -1));
    // "created_at:2026-10-14" means that day.
    if (ISO_DATE.test(wanted) && ISO_DATE.test(text) && wanted.length === 10) return text.startsWith(wanted);
    return text === wanted;
  }
  let difference: number;
  if (typeof actual === "number" || (/^-?\d+(\.\d+)?$/.test(text) && /^-?\d+(\.\d+)?$/.test(wanted))) {
    difference = Number(actual) - Number(wanted);
  } else if (ISO_DATE.test(text) && ISO_DATE.test(wanted)) {
    difference = Date.parse(text) - Date.parse(wanted);
  } else {
    difference = text.localeCompare(wanted);
  }
  switch (term.comparator) {
    case ">": return difference > 0;
    case ">=": return difference >= 0;
    case "<": return difference < 0;
    case "<=": return difference <= 0;
  }
}

export type SearchOutcome = { matches: boolean; unknownFields: string[] };

/**
 * Whether an item matches. Like Shopify, a filter on a field the resource does not have is
 * ignored (and reported, as Shopify does in `extensions.search`) rather than matching nothing.
 */
export function matchesSearch<T>(item: T, query: SearchQuery, fields: SearchableFields<T>, freeText: (item: T) => string[]): SearchOutcome {
  const unknownFields: string[] = [];
  if (query.length === 0) return { matches: true, unknownFields };
  const termHolds = (term: SearchTerm): boolean => {
    let holds: boolean;
    if (term.field === null) {
      const wanted = term.value.toLowerCase().replace(/\*$/, "");
      holds = freeText(item).some((text) => text.toLowerCase().includes(wanted));
    } else {
      const read = fields[term.field];
      if (!read) {
        unknownFields.push(term.field);
        return true;
      }
      holds = flatten(read(item)).some((actual) => compareValues(actual, term));
    }
    return term.negated ? !holds : holds;
  };
  const matches = query.some((terms) => terms.map(termHolds).every(Boolean));
  return { matches, unknownFields };
}
