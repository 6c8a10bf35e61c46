// A fake Shopify Admin API over real HTTP: token exchange at /admin/oauth/access_token and
// GraphQL at /admin/api/<version>/graphql.json, answered from fixture stores by executing each
// query against Shopify's published schema. The app reaches it by rewriting https://<shop>/admin/…
// to this server's origin and naming the shop in the `x-shopify-shop-domain` header.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { GraphQLSchema } from "graphql";
import type { Logger } from "pino";
import { FULLY_APPROVED, grantOptional, revokeOptional, ScopeChangeRefused, type DeclaredScopes, type ProtectedCustomerDataAccess } from "./access-rules";
import { answerAccessTokenRequest, createAccessTokenRegistry } from "./access-tokens";
import { answerGraphqlRequest, type GraphqlRequestBody } from "./admin-graphql";
import { bulkOperationFile } from "./bulk-operations";
import type { StoreFixture } from "./fixtures";
import { readFlowTriggerDeclarations, type FlowTriggerCall, type FlowTriggerDeclaration } from "./flow-triggers";
import { ADMIN_API_VERSION, loadAdminSchema } from "./schema";
import { createCostBucket, type CostBucket, type ThrottleSettings, type ThrottleStatus } from "./throttle";

export const SHOP_DOMAIN_HEADER = "x-shopify-shop-domain";
/** The app's extensions, as Shopify knows its deployed version: which Flow triggers exist. */
export const APP_EXTENSIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), "../../extensions");
/** The control route listing the flowTriggerReceive calls the fake received (GET, `?shop=` optional). */
export const FLOW_TRIGGERS_CONTROL_PATH = "/_fake/flow-triggers";
/** What the app asks for by default (app/config.server.ts): the least a support app needs. */
export const DEFAULT_GRANTED_SCOPES = ["read_customers", "read_orders", "read_products", "read_content", "read_legal_policies", "read_themes"];
const MAX_BODY_BYTES = 1_000_000;
const INVALID_TOKEN = "[API] Invalid API key or access token (unrecognized login or wrong password)";

export type FakeShopifyAdminOptions = {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** When given, token exchange requires this client id and the session token's `aud` to match it. */
  apiKey?: string;
  /** When given, token exchange requires this client secret; session tokens are always checked against the secret in use. */
  apiSecret?: string;
  stores: Record<string, StoreFixture>;
  /** Scopes every token is issued with; DEFAULT_GRANTED_SCOPES (no read_all_orders: a 60-day order window) by default. */
  grantedScopes?: string[];
  /**
   * The app configuration's `scopes` and `optional_scopes` (what `app { requestedAccessScopes optionalAccessScopes }`
   * answers, and what grantOptionalScopes accepts). By default the granted scopes are required and nothing is optional.
   */
  declaredScopes?: { required?: string[]; optional?: string[] };
  /** Protected customer data the app is approved for; level 2 with every field by default. */
  protectedCustomerData?: ProtectedCustomerDataAccess;
  /** Let GraphQL calls through with any non-empty access token (for tests that skip token exchange). */
  acceptAnyToken?: boolean;
  /** Bucket size and restore rate for every shop; Shopify's standard 2000 points, 100/s by default. */
  throttle?: ThrottleSettings;
  /** Milliseconds since the epoch; inject to test throttling and token expiry without waiting. */
  clock?: () => number;
  logger?: Pick<Logger, "info" | "warn" | "error">;
  /** Reuse an already built schema (it is otherwise loaded once per process). */
  schema?: GraphQLSchema;
  /** The app's Flow triggers; by default those declared under the repository's extensions/. */
  flowTriggers?: FlowTriggerDeclaration[];
};

/** One call the app made, without its access token. */
export type AdminApiRequest = {
  shop: string | null;
  method: string;
  path: string;
  operationName: string | null;
  query: string | null;
  variables: Record<string, unknown> | null;
  status: number;
  /** Answered THROTTLED: the shop's cost bucket could not pay for the query. */
  throttled: boolean;
  at: Date;
};

export type FakeShopifyAdmin = {
  url: string;
  /** Every request so far, oldest first; the array is live. */
  requests: readonly AdminApiRequest[];
  /** Every flowTriggerReceive call so far, accepted or refused, oldest first; the array is live. */
  flowTriggerCalls: readonly FlowTriggerCall[];
  /** The shop's fixture data, live: change it and the next query sees the change. */
  store(shopDomain: string): StoreFixture;
  /** An access token valid for the shop, as if token exchange had happened (with the granted scopes unless named). */
  issueAccessToken(shopDomain: string, scopes?: readonly string[]): string;
  /** The merchant approved other scopes: new and live tokens carry them (every shop's, or one shop's). */
  setGrantedScopes(scopes: readonly string[], shopDomain?: string): void;
  /** The scopes the shop has granted now. */
  grantedScopesOf(shopDomain: string): readonly string[];
  /** The merchant granted optional scopes in Shopify's dialog; throws for a scope the app did not declare. Returns the scopes now granted. */
  grantOptionalScopes(shopDomain: string, scopes: readonly string[]): string[];
  /** The merchant (or the app) took optional scopes back; throws for a required or undeclared scope. Returns the scopes now granted. */
  revokeOptionalScopes(shopDomain: string, scopes: readonly string[]): string[];
  /** What the Partner Dashboard approved for protected customer data, from the next request on. */
  setProtectedCustomerData(access: ProtectedCustomerDataAccess): void;
  /** Reconfigures one shop's bucket, or every shop's when no shop is named. */
  setThrottle(settings: ThrottleSettings, shopDomain?: string): void;
  throttleStatus(shopDomain: string): ThrottleStatus;
  resetRequests(): void;
  /** The next `count` requests naming this operation answer 503, as Shopify does in an outage (for retry tests). */
  failNext(operationName: string, count: number): void;
  close(): Promise<void>;
};

type Answer = { status: number; body: unknown };

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error("request body too large"));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

/** Shopify's OAuth endpoint takes JSON (what @shopify/shopify-api sends) or a form. */
function parseForm(raw: string, contentType: string | undefined): Record<string, string> {
  if (contentType?.includes("application/json")) {
    const parsed = JSON.parse(raw) as Record<string, unknown>;
    return Object.fromEntries(Object.entries(parsed).map(([key, value]) => [key, String(value)]));
  }
  return Object.fromEntries(new URLSearchParams(raw));
}

function parseGraphqlBody(raw: string, contentType: string | undefined): GraphqlRequestBody {
  if (contentType?.includes("application/graphql")) return { query: raw };
  return JSON.parse(raw) as GraphqlRequestBody;
}

export async function startFakeShopifyAdmin(options: FakeShopifyAdminOptions): Promise<FakeShopifyAdmin> {
  const schema = options.schema ?? (await loadAdminSchema());
  const clock = options.clock ?? Date.now;
  let grantedScopes: readonly string[] = options.grantedScopes ?? DEFAULT_GRANTED_SCOPES;
  const declaredScopes: DeclaredScopes = { required: options.declaredScopes?.required ?? grantedScopes, optional: options.declaredScopes?.optional ?? [] };
  /** Shops whose merchant changed what they grant; the others grant `grantedScopes`. */
  const grantedByShop = new Map<string, readonly string[]>();
  const grantedTo = (shop: string) => grantedByShop.get(shop) ?? grantedScopes;
  let protectedData = options.protectedCustomerData ?? FULLY_APPROVED;
  const logger = options.logger;
  const stores = new Map(Object.entries(options.stores).map(([domain, store]) => [domain.toLowerCase(), store]));
  const buckets = new Map<string, CostBucket>([...stores.keys()].map((domain) => [domain, createCostBucket(options.throttle ?? {}, clock)]));
  const tokens = createAccessTokenRegistry(clock, grantedScopes);
  const requests: AdminApiRequest[] = [];
  const flowTriggerCalls: FlowTriggerCall[] = [];
  const outages = new Map<string, number>();
  const flowTriggers = { declarations: options.flowTriggers ?? readFlowTriggerDeclarations(APP_EXTENSIONS_DIR), record: (call: FlowTriggerCall) => void flowTriggerCalls.push(call) };
  let origin = "";

  /** The shop a request is for: the header the app adds, else the Host, else the only store. */
  function shopOf(request: IncomingMessage): string | null | "ambiguous" {
    const named = request.headers[SHOP_DOMAIN_HEADER];
    if (typeof named === "string") return named.toLowerCase();
    const host = request.headers.host?.split(":")[0]?.toLowerCase();
    if (host && stores.has(host)) return host;
    return stores.size === 1 ? [...stores.keys()][0] : "ambiguous";
  }

  async function answer(request: IncomingMessage, path: string, shop: string, record: AdminApiRequest): Promise<Answer> {
    const store = stores.get(shop);
    if (!store) return { status: 404, body: { errors: "Not Found" } };
    const raw = await readBody(request);
    const contentType = request.headers["content-type"];

    if (path === "/admin/oauth/access_token") {
      return answerAccessTokenRequest(parseForm(raw, contentType), {
        shop: store.shop,
        apiKey: options.apiKey,
        apiSecret: options.apiSecret,
        grantedScopes: grantedTo(shop),
        tokens,
        clock,
      });
    }

    // Sandbox only (not a Shopify endpoint): the merchant's answer in the permission dialog, which in
    // Shopify happens in the admin's own UI, then reaches the app as app/scopes_update.
    if (path === "/_sandbox/optional-scopes") {
      const change = JSON.parse(raw) as { grant?: string[]; revoke?: string[] };
      try {
        let now: readonly string[] = grantedTo(shop);
        if (change.grant?.length) now = grantOptional(now, change.grant, declaredScopes);
        if (change.revoke?.length) now = revokeOptional(now, change.revoke, declaredScopes);
        setGrantedScopes(now, shop);
        return { status: 200, body: { granted: now } };
      } catch (error) {
        if (error instanceof ScopeChangeRefused) return { status: 422, body: { error: error.message } };
        throw error;
      }
    }

    const version = /^\/admin\/api\/([^/]+)\/graphql\.json$/.exec(path)?.[1];
    if (!version) return { status: 404, body: { errors: "Not Found" } };
    if (version !== ADMIN_API_VERSION) return { status: 404, body: { errors: `Not Found: this fake serves Admin API ${ADMIN_API_VERSION} only` } };
    const token = request.headers["x-shopify-access-token"];
    const authorised = typeof token === "string" && token !== "" && (options.acceptAnyToken || tokens.isValidFor(token, shop));
    if (!authorised) return { status: 401, body: { errors: INVALID_TOKEN } };

    const body = parseGraphqlBody(raw, contentType);
    const named = typeof body.query === "string" ? /\b(?:query|mutation)\s+(\w+)/.exec(body.query)?.[1] : undefined;
    const failures = named ? (outages.get(named) ?? 0) : 0;
    if (named && failures > 0) {
      outages.set(named, failures - 1);
      record.operationName = named;
      return { status: 503, body: { errors: "Service Unavailable" } };
    }
    record.query = typeof body.query === "string" ? body.query : null;
    record.variables = body.variables && typeof body.variables === "object" ? (body.variables as Record<string, unknown>) : null;
    const graphql = await answerGraphqlRequest(body, {
      schema,
      store,
      bucket: buckets.get(shop)!,
      // A token the fake did not issue (acceptAnyToken) carries the scopes currently granted.
      grantedScopes: tokens.scopesOf(token) ?? grantedTo(shop),
      declaredScopes,
      protectedData,
      apiKey: options.apiKey ?? "",
      clock,
      origin,
      flowTriggers,
    });
    record.operationName = graphql.operationName;
    if (graphql.unmodelledRootFields.length > 0) {
      logger?.warn({ shop, operationName: graphql.operationName, fields: graphql.unmodelledRootFields }, "fake Shopify Admin answered root fields it does not model with empty values");
    }
    return graphql;
  }

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const path = new URL(request.url ?? "/", "http://fake.invalid").pathname;
    // A bulk operation's result file: in Shopify a signed cloud-storage URL, here served by the fake itself.
    const bulkFile = request.method === "GET" ? /^\/bulk-operations\/(\d+)\.jsonl$/.exec(path) : null;
    if (bulkFile) {
      const file = bulkOperationFile(bulkFile[1]);
      response.writeHead(file === undefined ? 404 : 200, { "content-type": "application/jsonl" });
      response.end(file ?? "");
      return;
    }
    if (request.method === "GET" && path === FLOW_TRIGGERS_CONTROL_PATH) {
      const wanted = new URL(request.url ?? "/", "http://fake.invalid").searchParams.get("shop")?.toLowerCase();
      response.writeHead(200, { "content-type": "application/json; charset=utf-8" });
      response.end(JSON.stringify({ calls: flowTriggerCalls.filter((call) => !wanted || call.shop === wanted) }));
      return;
    }
    const shop = shopOf(request);
    const record: AdminApiRequest = {
      shop: shop === "ambiguous" ? null : shop,
      method: request.method ?? "GET",
      path,
      operationName: null,
      query: null,
      variables: null,
      status: 0,
      throttled: false,
      at: new Date(clock()),
    };
    requests.push(record);

    let result: Answer;
    if (request.method !== "POST") result = { status: 404, body: { errors: "Not Found" } };
    else if (shop === null || shop === "ambiguous") {
      result = { status: 400, body: { errors: `Name the shop in the ${SHOP_DOMAIN_HEADER} header: this fake serves ${[...stores.keys()].join(", ")}` } };
    } else {
      try {
        result = await answer(request, path, shop, record);
      } catch (error) {
        const malformed = error instanceof SyntaxError;
        if (!malformed) logger?.error({ err: error, path }, "fake Shopify Admin failed to answer");
        result = malformed ? { status: 400, body: { errors: "Malformed request body" } } : { status: 500, body: { errors: "Internal Server Error" } };
      }
    }
    record.status = result.status;
    const errors = (result.body as { errors?: unknown }).errors;
    record.throttled = Array.isArray(errors) && errors.some((e: { extensions?: { code?: string } }) => e?.extensions?.code === "THROTTLED");
    logger?.info({ shop: record.shop, path, operationName: record.operationName, status: result.status }, "fake Shopify Admin request");
    response.writeHead(result.status, {
      "content-type": "application/json; charset=utf-8",
      "x-shopify-api-version": ADMIN_API_VERSION,
    });
    response.end(JSON.stringify(result.body));
  }

  const server = createServer((request, response) => void handle(request, response));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address() as AddressInfo;
  origin = `http://${address.family === "IPv6" ? `[${address.address}]` : address.address}:${address.port}`;
  function setGrantedScopes(scopes: readonly string[], shopDomain?: string) {
    if (!shopDomain) {
      grantedScopes = [...scopes];
      grantedByShop.clear();
    } else grantedByShop.set(shopDomain.toLowerCase(), [...scopes]);
    for (const shop of shopDomain ? [shopDomain.toLowerCase()] : [...stores.keys()]) tokens.regrant(shop, scopes);
  }
  const bucketOf = (shopDomain: string) => {
    const bucket = buckets.get(shopDomain.toLowerCase());
    if (!bucket) throw new Error(`The fake Shopify Admin has no store ${shopDomain}`);
    return bucket;
  };

  return {
    url: origin,
    requests,
    flowTriggerCalls,
    store(shopDomain) {
      const store = stores.get(shopDomain.toLowerCase());
      if (!store) throw new Error(`The fake Shopify Admin has no store ${shopDomain}`);
      return store;
    },
    issueAccessToken(shopDomain, scopes = grantedTo(shopDomain.toLowerCase())) {
      bucketOf(shopDomain);
      return tokens.issue(shopDomain.toLowerCase(), "offline", undefined, scopes);
    },
    setGrantedScopes,
    grantedScopesOf: (shopDomain) => grantedTo(shopDomain.toLowerCase()),
    grantOptionalScopes(shopDomain, scopes) {
      const now = grantOptional(grantedTo(shopDomain.toLowerCase()), scopes, declaredScopes);
      setGrantedScopes(now, shopDomain);
      return now;
    },
    revokeOptionalScopes(shopDomain, scopes) {
      const now = revokeOptional(grantedTo(shopDomain.toLowerCase()), scopes, declaredScopes);
      setGrantedScopes(now, shopDomain);
      return now;
    },
    setProtectedCustomerData(access) {
      protectedData = access;
    },
    setThrottle(settings, shopDomain) {
      const targets = shopDomain ? [bucketOf(shopDomain)] : [...buckets.values()];
      targets.forEach((bucket) => bucket.configure(settings));
    },
    throttleStatus: (shopDomain) => bucketOf(shopDomain).status(),
    resetRequests() {
      requests.length = 0;
    },
    failNext(operationName, count) {
      outages.set(operationName, count);
    },
    close() {
      return new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Clients keep connections alive; without this close() would wait for them to time out.
        server.closeAllConnections();
      });
    },
  };
}
