// Shopify's search syntax, as the fake reads it for `customers(query:)`, `orders(query:)` and friends.
import { describe, expect, it } from "vitest";
import { matchesSearch, parseSearchQuery, TokenisedText, type SearchableFields } from "./search-query";

type Order = { name: string; email: string; tags: string[]; updatedAt: string; total: number };
const fields: SearchableFields<Order> = {
  name: (o) => [o.name, o.name.replace(/^#/, "")],
  email: (o) => o.email,
  tag: (o) => o.tags,
  updated_at: (o) => o.updatedAt,
  total: (o) => o.total,
};
const order: Order = { name: "#1032", email: "Maya.Okafor@example.com", tags: ["gift", "vip"], updatedAt: "2026-10-12T11:00:00Z", total: 625.29 };
const matches = (query: string) => matchesSearch(order, parseSearchQuery(query), fields, (o) => [o.name, o.email]).matches;

describe("Shopify search queries", () => {
  it("matches field values case-insensitively, with prefixes and quoted values", () => {
    expect(matches("email:maya.okafor@example.com")).toBe(true);
    expect(matches("email:'maya.okafor@example.com'")).toBe(true);
    expect(matches("email:liam@example.com")).toBe(false);
    expect(matches("name:1032 tag:vi*")).toBe(true);
  });

  it("compares dates and numbers with :>, :>=, :< and :<=", () => {
    expect(matches("updated_at:>2026-10-01")).toBe(true);
    expect(matches("updated_at:>'2026-10-12T11:00:00Z'")).toBe(false);
    expect(matches("updated_at:>=2026-10-12T11:00:00Z")).toBe(true);
    expect(matches("total:<600")).toBe(false);
    expect(matches("updated_at:2026-10-12")).toBe(true);
  });

  it("combines terms with AND, OR and negation", () => {
    expect(matches("tag:gift AND -tag:vip")).toBe(false);
    expect(matches("NOT tag:wholesale tag:gift")).toBe(true);
    expect(matches("email:someone@else.com OR name:#1032")).toBe(true);
    expect(matches("maya")).toBe(true);
  });

  it("searches a tokenised field word by word, so near misses match too (as Shopify's customer email does)", () => {
    const byEmail = (email: string, query: string) =>
      matchesSearch({ email }, parseSearchQuery(query), { email: (c: { email: string }) => new TokenisedText(c.email) }, () => []).matches;
    expect(byEmail("maya@example.com", 'email:"maya@example.com"')).toBe(true);
    expect(byEmail("jo.maya@example.com", 'email:"maya@example.com"')).toBe(true);
    expect(byEmail("maya@example.com.au", 'email:"maya@example.com"')).toBe(true);
    expect(byEmail("liam@example.com", 'email:"maya@example.com"')).toBe(false);
  });

  it("ignores a field the resource does not have, and says so", () => {
    expect(matchesSearch(order, parseSearchQuery("colour:red tag:gift"), fields, () => [])).toEqual({ matches: true, unknownFields: ["colour"] });
  });
});
