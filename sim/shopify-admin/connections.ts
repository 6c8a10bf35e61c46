// Relay connections as Shopify serves them: filtered by `query`, ordered by `sortKey`/`reverse`,
// paged with `first`/`after` or `last`/`before`, with opaque cursors that survive deletions.
import { GraphQLError } from "graphql";
import { legacyIdOf } from "./gid";
import { matchesSearch, parseSearchQuery } from "./search-query";
import type { ResourceSearch } from "./resource-search";
import type { StoreFixture } from "./fixtures";

export const MAX_PAGE_SIZE = 250;

export type ConnectionArgs = {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
  reverse?: boolean | null;
  query?: string | null;
  sortKey?: string | null;
};

export type Connection<T> = {
  edges: { cursor: string; node: T }[];
  nodes: T[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
};

/** A position in the ordering: the sort value, then the numeric id to break ties. */
type SortPosition = [string | number, number];

function encodeCursor(position: SortPosition): string {
  return Buffer.from(JSON.stringify({ last_id: position[1], last_value: position[0] })).toString("base64");
}

function decodeCursor(cursor: string): SortPosition {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, "base64").toString("utf8")) as { last_id?: unknown; last_value?: unknown };
    if (typeof parsed.last_id === "number" && (typeof parsed.last_value === "string" || typeof parsed.last_value === "number")) {
      return [parsed.last_value, parsed.last_id];
    }
  } catch {
    // fall through to the error Shopify gives for a cursor it did not issue
  }
  throw new GraphQLError(`Invalid cursor for current pagination sort: ${cursor}`);
}

function compare(a: SortPosition, b: SortPosition): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  return a[1] - b[1];
}

function numericId(item: unknown, index: number): number {
  const id = (item as { id?: unknown } | null)?.id;
  const legacy = typeof id === "string" ? Number(legacyIdOf(id)) : NaN;
  return Number.isFinite(legacy) ? legacy : index;
}

export type PaginateOptions = {
  search?: ResourceSearch<{ id: string }>;
  store: StoreFixture;
  /** Told about search fields the resource does not have (Shopify ignores those terms). */
  onUnknownSearchField?: (field: string) => void;
  /** A bulk operation's connection: every node, no page limit. */
  unbounded?: boolean;
};

export function paginate<T>(items: readonly T[], args: ConnectionArgs, options: PaginateOptions): Connection<T> {
  const { first, last, after, before } = args;
  if (typeof first !== "number" && typeof last !== "number") throw new GraphQLError("you must provide one of first or last");
  for (const [name, size] of [["first", first], ["last", last]] as const) {
    if (typeof size === "number" && (size < 0 || (size > MAX_PAGE_SIZE && !options.unbounded))) {
      throw new GraphQLError(`The ${name} argument must be between 0 and ${MAX_PAGE_SIZE}; got ${size}.`);
    }
  }

  const { search, store } = options;
  const matching = filterBySearch(items, args.query, options);

  const sortKey = args.sortKey ?? "ID";
  const readSortValue = search?.sortKeys[sortKey];
  const ordered = matching
    .map((node, index): { node: T; position: SortPosition } => {
      const id = numericId(node, index);
      const value = readSortValue ? readSortValue(node as { id: string }, store) : search ? id : index;
      return { node, position: [value, id] };
    })
    .sort((a, b) => compare(a.position, b.position));
  if (args.reverse) ordered.reverse();
  const direction = args.reverse ? -1 : 1;

  let windowStart = 0;
  let windowEnd = ordered.length;
  if (after) {
    const cursor = decodeCursor(after);
    const index = ordered.findIndex((entry) => direction * compare(entry.position, cursor) > 0);
    windowStart = index === -1 ? ordered.length : index;
  }
  if (before) {
    const cursor = decodeCursor(before);
    const index = ordered.findIndex((entry) => direction * compare(entry.position, cursor) >= 0);
    windowEnd = Math.max(windowStart, index === -1 ? ordered.length : index);
  }
  let pageStart = windowStart;
  let pageEnd = windowEnd;
  if (typeof first === "number") pageEnd = Math.min(windowEnd, windowStart + first);
  if (typeof last === "number") pageStart = Math.max(pageStart, pageEnd - last);

  const edges = ordered.slice(pageStart, pageEnd).map((entry) => ({ cursor: encodeCursor(entry.position), node: entry.node }));
  return {
    edges,
    nodes: edges.map((edge) => edge.node),
    pageInfo: {
      hasNextPage: pageEnd < ordered.length,
      hasPreviousPage: pageStart > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}

/** The items a search query keeps; every item when the resource has no search rules. */
export function filterBySearch<T>(items: readonly T[], queryText: string | null | undefined, options: PaginateOptions): T[] {
  const { search, store } = options;
  if (!search) return [...items];
  const query = parseSearchQuery(queryText);
  const fields = Object.fromEntries(Object.entries(search.fields).map(([name, read]) => [name, (item: { id: string }) => read(item, store)]));
  const unknown = new Set<string>();
  const kept = items.filter((item) => {
    const outcome = matchesSearch(item as { id: string }, query, fields, search.freeText);
    outcome.unknownFields.forEach((field) => unknown.add(field));
    return outcome.matches;
  });
  unknown.forEach((field) => options.onUnknownSearchField?.(field));
  return kept;
}
