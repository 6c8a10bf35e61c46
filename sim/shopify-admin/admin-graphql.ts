// One Admin GraphQL request, answered as Shopify does: parse and validate against the real schema
// (errors come back with HTTP 200), charge the shop's cost bucket (THROTTLED when it cannot pay),
// execute against fixture data, and report the cost in `extensions.cost`.
import { execute, getOperationAST, GraphQLError, parse, validate, type DocumentNode, type GraphQLSchema } from "graphql";
import type { DeclaredScopes, ProtectedCustomerDataAccess } from "./access-rules";
import { estimateQueryCost, SINGLE_QUERY_MAX_COST } from "./cost";
import type { StoreFixture } from "./fixtures";
import type { FlowTriggerCall, FlowTriggerDeclaration } from "./flow-triggers";
import { resolveField, resolveType, type ResolveContext, type SearchWarning } from "./resolvers";
import type { CostBucket, ThrottleStatus } from "./throttle";

export type GraphqlRequestBody = { query?: unknown; variables?: unknown; operationName?: unknown };

export type GraphqlAnswer = {
  status: number;
  body: unknown;
  operationName: string | null;
  /** Root fields answered with empty values because the fake does not model them. */
  unmodelledRootFields: string[];
};

export type GraphqlContext = {
  schema: GraphQLSchema;
  store: StoreFixture;
  bucket: CostBucket;
  /** The scopes of the token the request came with. */
  grantedScopes: readonly string[];
  /** What the app's configuration declares: `scopes` (required at install) and `optional_scopes`. */
  declaredScopes: DeclaredScopes;
  protectedData: ProtectedCustomerDataAccess;
  apiKey: string;
  clock: () => number;
  /** The fake's origin, for the URLs it hands out (bulk operation files). */
  origin: string;
  flowTriggers: { declarations: readonly FlowTriggerDeclaration[]; record(call: FlowTriggerCall): void };
};

type Cost = { requestedQueryCost: number; actualQueryCost: number | null; throttleStatus: ThrottleStatus };

function errorsOnly(errors: readonly GraphQLError[], operationName: string | null): GraphqlAnswer {
  return { status: 200, body: { errors: errors.map((error) => error.toJSON()) }, operationName, unmodelledRootFields: [] };
}

function searchExtension(warnings: SearchWarning[]) {
  return warnings.map(({ path, query, field }) => ({ path, query, warnings: [{ field, message: "Invalid search field for this query." }] }));
}

export async function answerGraphqlRequest(request: GraphqlRequestBody, context: GraphqlContext): Promise<GraphqlAnswer> {
  if (typeof request.query !== "string" || request.query.trim() === "") {
    return { status: 400, body: { errors: { query: "Required parameter missing or invalid" } }, operationName: null, unmodelledRootFields: [] };
  }
  const requestedName = typeof request.operationName === "string" ? request.operationName : undefined;
  const variables = request.variables && typeof request.variables === "object" ? (request.variables as Record<string, unknown>) : {};

  let document: DocumentNode;
  try {
    document = parse(request.query);
  } catch (error) {
    return errorsOnly([error as GraphQLError], requestedName ?? null);
  }
  const operationName = getOperationAST(document, requestedName)?.name?.value ?? requestedName ?? null;
  const validationErrors = validate(context.schema, document);
  if (validationErrors.length > 0) return errorsOnly(validationErrors, operationName);

  const { bucket } = context;
  const requestedQueryCost = estimateQueryCost(context.schema, document, requestedName, variables);
  const refused = (message: string, extensions: Record<string, unknown>): GraphqlAnswer => ({
    status: 200,
    body: {
      errors: [{ message, extensions }],
      extensions: { cost: { requestedQueryCost, actualQueryCost: null, throttleStatus: bucket.status() } satisfies Cost },
    },
    operationName,
    unmodelledRootFields: [],
  });
  if (requestedQueryCost > SINGLE_QUERY_MAX_COST) {
    return refused(
      `Query cost is ${requestedQueryCost}, which exceeds the single query max cost limit (${SINGLE_QUERY_MAX_COST}).`,
      { code: "MAX_COST_EXCEEDED", cost: requestedQueryCost, maxCost: SINGLE_QUERY_MAX_COST },
    );
  }
  if (!bucket.withdraw(requestedQueryCost)) {
    return refused("Throttled", { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" });
  }

  const resolveContext: ResolveContext = {
    store: context.store,
    grantedScopes: context.grantedScopes,
    declaredScopes: context.declaredScopes,
    protectedData: context.protectedData,
    apiKey: context.apiKey,
    now: context.clock,
    actualCost: 0,
    searchWarnings: [],
    unmodelledRootFields: [],
    origin: context.origin,
    flowTriggers: context.flowTriggers,
  };
  const result = await execute({
    schema: context.schema,
    document,
    rootValue: {},
    contextValue: resolveContext,
    variableValues: variables,
    operationName: requestedName,
    fieldResolver: resolveField,
    typeResolver: resolveType,
  });
  // Shopify charges the requested cost up front and gives back what the query did not use.
  const actualQueryCost = Math.min(resolveContext.actualCost, requestedQueryCost);
  bucket.refund(requestedQueryCost - actualQueryCost);

  const extensions: Record<string, unknown> = {
    cost: { requestedQueryCost, actualQueryCost, throttleStatus: bucket.status() } satisfies Cost,
  };
  if (resolveContext.searchWarnings.length > 0) extensions.search = searchExtension(resolveContext.searchWarnings);
  return {
    status: 200,
    body: {
      ...(result.errors ? { errors: result.errors.map((error) => error.toJSON()) } : {}),
      ...("data" in result ? { data: result.data } : {}),
      extensions,
    },
    operationName,
    unmodelledRootFields: resolveContext.unmodelledRootFields,
  };
}
