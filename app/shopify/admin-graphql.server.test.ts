import { describe, expect, it } from "vitest";
import { z } from "zod";
import { AdminAccessDenied, ProtectedDataDenied, runAdminQuery, runAdminQueryWithheld, type AdminGraphql } from "./admin-graphql.server";

/** How the Shopify library reports an answer with errors: it throws, with the body's data and graphQLErrors. */
function libraryThrowing(data: unknown, graphQLErrors: unknown[]): AdminGraphql {
  return async () => {
    throw Object.assign(new Error(String((graphQLErrors[0] as { message: string }).message)), { body: { data, errors: { graphQLErrors } } });
  };
}

const emailDenied = {
  message: "This app is not approved to use the email field. See https://shopify.dev/docs/apps/launch/protected-customer-data for more details.",
  path: ["customers", "nodes", 0, "email"],
  extensions: { code: "ACCESS_DENIED" },
};
const customers = z.object({ customers: z.object({ nodes: z.array(z.object({ id: z.string(), email: z.string().nullable() })) }) });

describe("runAdminQuery and Shopify's ACCESS_DENIED", () => {
  it("raises ProtectedDataDenied naming the withheld fields, never their values", async () => {
    const graphql = libraryThrowing({ customers: { nodes: [{ id: "gid://shopify/Customer/1", email: null }] } }, [emailDenied]);
    const error = await runAdminQuery(graphql, "query", customers).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProtectedDataDenied);
    expect((error as ProtectedDataDenied).denied).toEqual([{ path: "customers.nodes.email", reason: "protected-customer-data" }]);
  });

  it("hands a caller that can work without them the rest of the data and the withheld paths", async () => {
    const graphql = libraryThrowing({ customers: { nodes: [{ id: "gid://shopify/Customer/1", email: null }] } }, [emailDenied]);
    const { data, withheld } = await runAdminQueryWithheld(graphql, "query", customers);
    expect(data.customers.nodes[0].id).toBe("gid://shopify/Customer/1");
    expect(withheld.map((w) => w.path)).toEqual(["customers.nodes.email"]);
  });

  it("treats a missing access scope as a denial of its own kind, not as protected data", async () => {
    const scopeDenied = {
      message: "Access denied for orders field. Required access: `read_orders` access scope.",
      path: ["customer", "orders"],
      extensions: { code: "ACCESS_DENIED", requiredAccess: "`read_orders` access scope." },
    };
    const error = await runAdminQueryWithheld(libraryThrowing({ customer: null }, [scopeDenied]), "query", z.object({ customer: z.null() })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AdminAccessDenied);
    expect(error).not.toBeInstanceOf(ProtectedDataDenied);
    expect((error as AdminAccessDenied).denied).toEqual([{ path: "customer.orders", reason: "access-scope" }]);
  });

  it("lets any other library error through unchanged", async () => {
    const throttled = libraryThrowing(undefined, [{ message: "Throttled", extensions: { code: "THROTTLED" } }]);
    await expect(runAdminQuery(throttled, "query", customers)).rejects.toThrow("Throttled");
  });
});
