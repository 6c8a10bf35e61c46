// Optional scopes in the fake, over real HTTP: what the app declared (required and optional), what the
// merchant granted, and that only declared optional scopes can be granted or taken back.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStoreFixture } from "./fixtures";
import { ADMIN_API_VERSION } from "./schema";
import { DEFAULT_GRANTED_SCOPES, SHOP_DOMAIN_HEADER, startFakeShopifyAdmin, type FakeShopifyAdmin } from "./server";

const SHOP = "optional-scopes.myshopify.com";
const OTHER = "optional-scopes-neighbour.myshopify.com";
const OPTIONAL = ["write_orders", "write_discounts"];
// The query shopify-app-remix's scopes.query() and scopes.request() send.
const SCOPES_QUERY = `query FetchAccessScopes { app { requestedAccessScopes { handle } optionalAccessScopes { handle } installation { accessScopes { handle } } } }`;
type ScopesData = { app: { requestedAccessScopes: { handle: string }[]; optionalAccessScopes: { handle: string }[]; installation: { accessScopes: { handle: string }[] } } };

let admin: FakeShopifyAdmin;

async function scopesOf(shop: string, token = admin.issueAccessToken(shop)) {
  const response = await fetch(`${admin.url}/admin/api/${ADMIN_API_VERSION}/graphql.json`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-shopify-access-token": token, [SHOP_DOMAIN_HEADER]: shop },
    body: JSON.stringify({ query: SCOPES_QUERY }),
  });
  const { data, errors } = (await response.json()) as { data: ScopesData; errors?: unknown };
  expect(errors).toBeUndefined();
  const handles = (list: { handle: string }[]) => list.map((s) => s.handle);
  return { required: handles(data.app.requestedAccessScopes), optional: handles(data.app.optionalAccessScopes), granted: handles(data.app.installation.accessScopes) };
}

async function sandboxChange(shop: string, change: { grant?: string[]; revoke?: string[] }) {
  const response = await fetch(`${admin.url}/_sandbox/optional-scopes`, { method: "POST", headers: { "content-type": "application/json", [SHOP_DOMAIN_HEADER]: shop }, body: JSON.stringify(change) });
  return { status: response.status, body: (await response.json()) as { granted?: string[]; error?: string } };
}

beforeAll(async () => {
  admin = await startFakeShopifyAdmin({
    stores: { [SHOP]: createStoreFixture({ shopDomain: SHOP, seed: 3 }), [OTHER]: createStoreFixture({ shopDomain: OTHER, seed: 4 }) },
    declaredScopes: { optional: OPTIONAL },
  });
});
afterAll(async () => {
  await admin?.close();
});

describe("optional scopes", () => {
  it("answers the app's declared scopes, none of the optional ones granted at install", async () => {
    expect(await scopesOf(SHOP)).toEqual({ required: DEFAULT_GRANTED_SCOPES, optional: OPTIONAL, granted: DEFAULT_GRANTED_SCOPES });
  });

  it("grants a declared optional scope to one shop's live and new tokens, not to its neighbour", async () => {
    const live = admin.issueAccessToken(SHOP);
    const { status, body } = await sandboxChange(SHOP, { grant: ["write_orders"] });
    expect(status).toBe(200);
    expect(body.granted).toEqual([...DEFAULT_GRANTED_SCOPES, "write_orders"]);
    expect((await scopesOf(SHOP, live)).granted).toContain("write_orders");
    expect((await scopesOf(SHOP)).granted).toContain("write_orders");
    expect((await scopesOf(OTHER)).granted).toEqual(DEFAULT_GRANTED_SCOPES);
  });

  it("refuses to grant a scope the app did not declare optional, and to take back a required one", async () => {
    expect(await sandboxChange(SHOP, { grant: ["write_products"] })).toEqual({ status: 422, body: { error: "write_products is not declared in the app's optional_scopes" } });
    expect(await sandboxChange(SHOP, { revoke: ["read_orders"] })).toEqual({ status: 422, body: { error: "read_orders is required and cannot be revoked" } });
    expect((await scopesOf(SHOP)).granted).toEqual([...DEFAULT_GRANTED_SCOPES, "write_orders"]);
  });

  it("takes an optional scope back from the shop's tokens", async () => {
    const live = admin.issueAccessToken(SHOP);
    expect((await sandboxChange(SHOP, { revoke: ["write_orders"] })).body.granted).toEqual(DEFAULT_GRANTED_SCOPES);
    expect((await scopesOf(SHOP, live)).granted).toEqual(DEFAULT_GRANTED_SCOPES);
  });
});
