// Bulk query operations as Shopify runs them: `bulkOperationRunQuery` executes the inner query
// without page limits (and outside the cost throttle), writes one JSON object per line (nested
// connection nodes carry `__parentId`, each right after its parent, as with `groupObjects: true`),
// and `bulkOperation(id:)` reports RUNNING for a few status queries (as a real one takes a while),
// then COMPLETED with a URL the fake server serves the file from, or FAILED as a store's
// `bulkOperations` behaviour says. While one runs, another `bulkOperationRunQuery` is refused.
import { execute, parse, validate, type GraphQLError, type GraphQLSchema } from "graphql";
import type { StoreFixture } from "./fixtures";
import { gid } from "./gid";
import type { ResolveContext } from "./resolvers";

export type BulkOperationFixture = {
  __typename: "BulkOperation";
  id: string;
  status: "CREATED" | "RUNNING" | "COMPLETED" | "FAILED";
  type: "QUERY";
  query: string;
  createdAt: string;
  completedAt: string | null;
  errorCode: string | null;
  objectCount: string;
  rootObjectCount: string;
  fileSize: string | null;
  url: string | null;
  partialDataUrl: null;
};

type StoredOperation = { operation: BulkOperationFixture; jsonl: string; polls: number };

/** Status queries that see an operation RUNNING unless the store says otherwise: a real one is never done at once. */
export const DEFAULT_RUNNING_POLLS = 2;

const isFinished = (operation: BulkOperationFixture) => operation.status === "COMPLETED" || operation.status === "FAILED";

const operations = new WeakMap<StoreFixture, Map<string, StoredOperation>>();
const files = new Map<string, string>();
let sequence = 0;

function operationsOf(store: StoreFixture) {
  let byId = operations.get(store);
  if (!byId) operations.set(store, (byId = new Map()));
  return byId;
}

const isConnection = (value: unknown): value is { edges?: { node: unknown }[]; nodes?: unknown[] } =>
  typeof value === "object" && value !== null && (Array.isArray((value as { edges?: unknown }).edges) || Array.isArray((value as { nodes?: unknown }).nodes));

const nodesOf = (connection: { edges?: { node: unknown }[]; nodes?: unknown[] }) => connection.nodes ?? connection.edges!.map((edge) => edge.node);

/** The JSONL lines of a bulk result: every node of every connection, children after their parent. */
export function toJsonLines(data: Record<string, unknown>): string[] {
  const lines: string[] = [];
  const emit = (node: Record<string, unknown>, parentId: string | undefined) => {
    const own: Record<string, unknown> = {};
    const children: { edges?: { node: unknown }[]; nodes?: unknown[] }[] = [];
    for (const [key, value] of Object.entries(node)) {
      if (isConnection(value)) children.push(value);
      else own[key] = value;
    }
    if (parentId) own.__parentId = parentId;
    lines.push(JSON.stringify(own));
    for (const child of children) for (const item of nodesOf(child)) emit(item as Record<string, unknown>, node.id as string);
  };
  for (const value of Object.values(data)) {
    if (isConnection(value)) for (const item of nodesOf(value)) emit(item as Record<string, unknown>, undefined);
  }
  return lines;
}

/** The shop's most recent bulk query operation, as `currentBulkOperation` answers it (a status query too). */
export function currentBulkOperation(ctx: ResolveContext): BulkOperationFixture | null {
  const latest = [...operationsOf(ctx.store).keys()].at(-1);
  return latest ? bulkOperationStatus(ctx, latest) : null;
}

/**
 * Runs the inner query now; the operation reads as RUNNING for a few status queries. Refused while
 * the shop's previous one runs: Shopify allows one bulk query per app and shop at a time
 * (https://shopify.dev/docs/api/admin-graphql/2026-07/queries/currentBulkOperation; later versions may allow
 * more, the fake keeps to one) with BulkOperationUserErrorCode OPERATION_IN_PROGRESS. Assumption:
 * the message's wording, "A bulk query operation for this app and shop is already in progress: <id>.".
 */
export async function runBulkQuery(schema: GraphQLSchema, query: string, ctx: ResolveContext, run: (document: ReturnType<typeof parse>, bulkCtx: ResolveContext) => ReturnType<typeof execute>) {
  const running = [...operationsOf(ctx.store).values()].find((stored) => !isFinished(stored.operation));
  if (running) {
    return {
      bulkOperation: null,
      userErrors: [{ code: "OPERATION_IN_PROGRESS", field: null, message: `A bulk query operation for this app and shop is already in progress: ${running.operation.id}.` }],
    };
  }
  let document;
  try {
    document = parse(query);
  } catch (error) {
    return { bulkOperation: null, userErrors: [{ code: "INVALID", field: ["query"], message: (error as GraphQLError).message }] };
  }
  const problems = validate(schema, document);
  if (problems.length > 0) return { bulkOperation: null, userErrors: [{ code: "INVALID", field: ["query"], message: problems[0].message }] };
  const result = await run(document, { ...ctx, bulk: true, actualCost: 0 });
  if (result.errors?.length) return { bulkOperation: null, userErrors: [{ code: "INVALID", field: ["query"], message: result.errors[0].message }] };

  const lines = toJsonLines((result.data ?? {}) as Record<string, unknown>);
  const id = gid("BulkOperation", 7_000_000_000 + ++sequence);
  const jsonl = lines.length ? `${lines.join("\n")}\n` : "";
  const created = new Date(ctx.now()).toISOString();
  const operation: BulkOperationFixture = {
    __typename: "BulkOperation",
    id,
    status: "CREATED",
    type: "QUERY",
    query,
    createdAt: created,
    completedAt: null,
    errorCode: null,
    objectCount: String(lines.length),
    rootObjectCount: String(lines.filter((line) => !line.includes('"__parentId"')).length),
    fileSize: null,
    url: null,
    partialDataUrl: null,
  };
  operationsOf(ctx.store).set(id, { operation, jsonl, polls: 0 });
  return { bulkOperation: operation, userErrors: [] };
}

/**
 * The operation as a status query sees it: running for the store's (or the default) number of
 * status queries, then completed with its file's URL (null when empty, as Shopify) or failed.
 */
export function bulkOperationStatus(ctx: ResolveContext, id: string): BulkOperationFixture | null {
  const stored = operationsOf(ctx.store).get(id);
  if (!stored) return null;
  stored.polls += 1;
  const behaviour = ctx.store.bulkOperations ?? {};
  const finished = isFinished(stored.operation);
  if (!finished && stored.polls <= (behaviour.runningPolls ?? DEFAULT_RUNNING_POLLS)) {
    stored.operation = { ...stored.operation, status: "RUNNING" };
  } else if (!finished && behaviour.outcome === "FAILED") {
    stored.operation = { ...stored.operation, status: "FAILED", errorCode: behaviour.errorCode ?? "INTERNAL_SERVER_ERROR", completedAt: new Date(ctx.now()).toISOString() };
  } else if (!finished) {
    const key = `${id.split("/").pop()}`;
    if (stored.jsonl) files.set(key, stored.jsonl);
    stored.operation = {
      ...stored.operation,
      status: "COMPLETED",
      completedAt: new Date(ctx.now()).toISOString(),
      fileSize: String(Buffer.byteLength(stored.jsonl)),
      url: stored.jsonl ? `${ctx.origin}/bulk-operations/${key}.jsonl` : null,
    };
  }
  return stored.operation;
}

/** The file a completed operation wrote, for GET /bulk-operations/<id>.jsonl. */
export function bulkOperationFile(key: string): string | undefined {
  return files.get(key);
}
