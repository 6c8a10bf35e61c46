import type { z } from "zod";

/** The `admin.graphql` function the Shopify library hands out for a session. */
export type AdminGraphql = (query: string, options?: { variables?: Record<string, unknown> }) => Promise<Response>;

export class AdminApiResponseError extends Error {
  override name = "AdminApiResponseError";
}

/** Runs one Admin GraphQL operation and checks the shape of its data, so callers trust the types. */
export async function runAdminQuery<T>(
  graphql: AdminGraphql,
  query: string,
  schema: z.ZodType<T>,
  variables?: Record<string, unknown>,
): Promise<T> {
  const response = await graphql(query, variables ? { variables } : undefined);
  const body = (await response.json()) as { data?: unknown };
  const parsed = schema.safeParse(body.data);
  if (!parsed.success) {
    // The issue path names fields, never values, so no customer data reaches the message.
    const where = parsed.error.issues.map((i) => i.path.join(".")).join(", ");
    throw new AdminApiResponseError(`Shopify's Admin API answered with an unexpected shape at: ${where}.`);
  }
  return parsed.data;
}
