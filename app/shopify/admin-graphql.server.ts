import type { z } from "zod";

/** The `admin.graphql` function the Shopify library hands out for a session. */
export type AdminGraphql = (query: string, options?: { variables?: Record<string, unknown> }) => Promise<Response>;

export class AdminApiResponseError extends Error {
  override name = "AdminApiResponseError";
}

/**
 * One field Shopify would not show the app. Shopify answers these with HTTP 200, the field null and
 * an error whose extensions.code is ACCESS_DENIED at the field's path
 * (https://shopify.dev/changelog/new-error-messages-for-graphql-operations-without-necessary-access-scopes;
 * https://shopify.dev/docs/apps/launch/protected-customer-data, "example API requests").
 */
export type DeniedField = {
  /** Where in the answer, indices dropped: "customers.nodes.email". Names fields, never values. */
  path: string;
  /** Not approved for protected customer data (Partner Dashboard), or an access scope the app was not granted. */
  reason: "protected-customer-data" | "access-scope";
};

/** Some of the data the app asked for is not the app's to see; `denied` says which fields and why. */
export class AdminAccessDenied extends Error {
  override name = "AdminAccessDenied";
  constructor(readonly denied: DeniedField[]) {
    super(`Shopify denied the app access to: ${denied.map((d) => `${d.path} (${d.reason})`).join(", ")}.`);
  }
}

/** Shopify withheld protected customer data (names, emails, phones, addresses, or customers and orders altogether). */
export class ProtectedDataDenied extends AdminAccessDenied {
  override name = "ProtectedDataDenied";
}

type GraphqlError = { message?: string; path?: (string | number)[]; extensions?: { code?: string } };
type Answer = { data?: unknown; errors?: GraphqlError[] };

/**
 * The answer's data and errors. The Shopify library throws GraphqlQueryError for an answer with
 * errors, carrying the body as `{ data, errors: { graphQLErrors } }`; a plain Response has `errors[]`.
 */
async function readAnswer(graphql: AdminGraphql, query: string, variables?: Record<string, unknown>): Promise<Answer> {
  try {
    const response = await graphql(query, variables ? { variables } : undefined);
    const body = (await response.json()) as { data?: unknown; errors?: unknown };
    return { data: body.data, errors: Array.isArray(body.errors) ? (body.errors as GraphqlError[]) : [] };
  } catch (error) {
    const body = (error as { body?: { data?: unknown; errors?: { graphQLErrors?: GraphqlError[] } } })?.body;
    const graphQLErrors = body?.errors?.graphQLErrors;
    if (!Array.isArray(graphQLErrors) || !graphQLErrors.some((e) => e?.extensions?.code === "ACCESS_DENIED")) throw error;
    return { data: body?.data, errors: graphQLErrors };
  }
}

/** ACCESS_DENIED errors as denied fields. Scope errors name the scope ("Required access: …"); the rest are protected data. */
function deniedFields(errors: GraphqlError[]): DeniedField[] {
  return errors
    .filter((e) => e.extensions?.code === "ACCESS_DENIED")
    .map((e) => ({
      path: (e.path ?? []).filter((part) => typeof part === "string").join("."),
      reason: /Required access:/i.test(e.message ?? "") ? "access-scope" : "protected-customer-data",
    }));
}

function parse<T>(data: unknown, schema: z.ZodType<T>): T {
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    // The issue path names fields, never values, so no customer data reaches the message.
    const where = parsed.error.issues.map((i) => i.path.join(".")).join(", ");
    throw new AdminApiResponseError(`Shopify's Admin API answered with an unexpected shape at: ${where}.`);
  }
  return parsed.data;
}

/**
 * Runs one Admin GraphQL operation and also returns what Shopify withheld as protected customer data,
 * for callers that can work with the rest (e.g. an order's status without its address). A missing
 * access scope is never "the rest": it raises AdminAccessDenied; data that no longer fits the schema
 * once protected fields are withheld raises ProtectedDataDenied.
 */
export async function runAdminQueryWithheld<T>(
  graphql: AdminGraphql,
  query: string,
  schema: z.ZodType<T>,
  variables?: Record<string, unknown>,
): Promise<{ data: T; withheld: DeniedField[] }> {
  const answer = await readAnswer(graphql, query, variables);
  const denied = deniedFields(answer.errors ?? []);
  const missingScope = denied.filter((d) => d.reason === "access-scope");
  if (missingScope.length > 0) throw new AdminAccessDenied(missingScope);
  if (denied.length > 0 && !schema.safeParse(answer.data).success) throw new ProtectedDataDenied(denied);
  return { data: parse(answer.data, schema), withheld: denied };
}

/** Runs one Admin GraphQL operation and checks the shape of its data, so callers trust the types; anything withheld raises AdminAccessDenied. */
export async function runAdminQuery<T>(
  graphql: AdminGraphql,
  query: string,
  schema: z.ZodType<T>,
  variables?: Record<string, unknown>,
): Promise<T> {
  const { data, withheld } = await runAdminQueryWithheld(graphql, query, schema, variables);
  if (withheld.length > 0) throw new ProtectedDataDenied(withheld);
  return data;
}
