import { authenticate } from "../shopify.server";
import { NOT_FOUND_BODY } from "../services/admin-blocks";
import { AdminAccessDenied } from "../shopify/admin-graphql.server";
import { jsonResponse } from "./json.server";

/**
 * Requests from the app's admin UI extensions. Shopify's admin adds `Authorization: Bearer <session
 * token>` to an extension's fetch to the app's URL and the browser sends them cross-origin, so
 * `authenticate.admin` checks the token (signature, audience, expiry; 401 otherwise), answers the
 * CORS preflight (OPTIONS, 204) and hands back `cors` to put the CORS headers on our own answers.
 * The shop is the token's `dest`, never a parameter of the request.
 */
export async function authenticateAdminExtension(request: Request) {
  // Without a token the library would treat this as a page load and redirect to /auth/login; an
  // extension's fetch wants a plain refusal. The preflight carries no token by design.
  if (request.method !== "OPTIONS" && !/^Bearer \S+$/.test(request.headers.get("Authorization") ?? "")) {
    throw jsonResponse({ error: "session-token-required" }, { status: 401, headers: { "Access-Control-Allow-Origin": "*" } });
  }
  const { session, admin, cors } = await authenticate.admin(request);
  const json = (body: unknown, status = 200) => cors(jsonResponse(body, { status, headers: { "Cache-Control": "no-store" } }));
  const notFound = () => json(NOT_FOUND_BODY, 404);
  return {
    shop: session.shop,
    graphql: admin.graphql,
    json,
    notFound,
    /**
     * The block's data, 404 when there is none, and 403 when Shopify withholds the customer or order
     * from the app (protected customer data not approved, or a scope missing): the block says which.
     */
    async answer(load: () => Promise<unknown | null>): Promise<Response> {
      try {
        const data = await load();
        return data === null ? notFound() : json(data);
      } catch (error) {
        if (error instanceof AdminAccessDenied) return json({ error: "customer-data-withheld" }, 403);
        throw error;
      }
    },
  };
}

/** Shopify numeric ids (the block gets the GID and sends its last segment); anything else is "not found". */
export const SHOPIFY_ID = /^[1-9][0-9]{0,19}$/;
