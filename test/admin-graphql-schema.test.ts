// Every Admin GraphQL operation the app sends must be valid against Shopify's published 2026-10
// schema: a renamed or removed field fails here, offline, instead of in a merchant's store.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { GraphQLSchema } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_API_VERSION, loadAdminSchema } from "../sim/shopify-admin/schema";
import { findAdminGraphqlOperations, problemsWith, withMisspelledField } from "./graphql-operations";

describe(`the app's Admin GraphQL operations against Shopify's ${ADMIN_API_VERSION} schema`, () => {
  const operations = findAdminGraphqlOperations();
  let schema: GraphQLSchema;
  beforeAll(async () => {
    schema = await loadAdminSchema();
  });

  it("finds the app's operations (a broken search would otherwise pass vacuously)", () => {
    expect(operations.length).toBeGreaterThan(0);
    expect(operations.map((operation) => operation.name)).toContain("ShopDetails");
  });

  it("validates every operation", () => {
    const problems = operations.flatMap((operation) =>
      problemsWith(schema, operation).map((problem) => `${operation.file}:${operation.line} ${operation.name ?? "(unnamed)"}: ${problem}`),
    );
    expect(problems).toEqual([]);
  });

  it("validates the scopes query the app library sends for the app (Settings' order actions call scopes.query)", () => {
    const file = join(import.meta.dirname, "../node_modules/@shopify/shopify-app-remix/dist/esm/server/authenticate/admin/scope/client/fetch-scopes-details.mjs");
    const document = /`(#graphql[\s\S]*?)`/.exec(readFileSync(file, "utf8"))?.[1];
    expect(document).toContain("optionalAccessScopes");
    expect(problemsWith(schema, { file: "shopify-app-remix scopes.query", line: 1, name: "FetchAccessScopes", document: document! })).toEqual([]);
  });

  it("names every operation, so logs and the fake Admin API can tell them apart", () => {
    const unnamed = operations.filter((operation) => !operation.problem && operation.name === null).map((operation) => `${operation.file}:${operation.line}`);
    expect(unnamed).toEqual([]);
  });

  it("reports a misspelled field in a real app operation", () => {
    const original = operations.find((operation) => problemsWith(schema, operation).length === 0);
    expect(original, "no valid operation to break").toBeDefined();
    const { document, misspelled } = withMisspelledField(original!.document);

    const problems = problemsWith(schema, { ...original!, document });

    expect(problems).toEqual([expect.stringContaining(`Cannot query field "${misspelled}"`)]);
  });
});

describe("finding Admin GraphQL operations in source", () => {
  const root = mkdtempSync(join(tmpdir(), "graphql-operations-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("finds marked strings, tagged templates and app/graphql documents, and refuses interpolation", () => {
    mkdirSync(join(root, "app", "graphql"), { recursive: true });
    mkdirSync(join(root, "app", "routes"), { recursive: true });
    writeFileSync(join(root, "app", "graphql", "order-status.ts"), "export const ORDER = `query OrderStatus($id: ID!) { order(id: $id) { name } }`;\n");
    writeFileSync(join(root, "app", "graphql", "customer.graphql"), "query CustomerByEmail { customers(first: 1) { nodes { id } } }\n");
    writeFileSync(
      join(root, "app", "routes", "app.tsx"),
      [
        'const label = "query is a word here, not an operation";',
        "const marked = `#graphql\n  query Marked { shop { name } }`;",
        "const tagged = gql`query Tagged { shop { id } }`;",
        "const fields = 'name';",
        "const built = `#graphql\n  query Built { shop { ${fields} } }`;",
        "export default function Page() { return <p>{label}{marked}{tagged}{built}</p>; }",
      ].join("\n"),
    );

    const found = findAdminGraphqlOperations(join(root, "app"), root);

    expect(found.map(({ file, line, name, problem }) => ({ file, line, name, interpolates: Boolean(problem) }))).toEqual([
      { file: "app/graphql/customer.graphql", line: 1, name: "CustomerByEmail", interpolates: false },
      { file: "app/graphql/order-status.ts", line: 1, name: "OrderStatus", interpolates: false },
      { file: "app/routes/app.tsx", line: 2, name: "Marked", interpolates: false },
      { file: "app/routes/app.tsx", line: 4, name: "Tagged", interpolates: false },
      { file: "app/routes/app.tsx", line: 6, name: null, interpolates: true },
    ]);
  });
});
