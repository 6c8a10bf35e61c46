// Shopify's OAuth endpoint for embedded apps: token exchange (a session token, i.e. an HS256 JWT
// signed with the app's secret, traded for an offline or online access token) and refresh of
// expiring offline tokens. Issued tokens are remembered per shop so GraphQL calls can be checked.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { ShopFixture } from "./fixtures";

export const TOKEN_EXCHANGE_GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";
export const ID_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:id_token";
export const OFFLINE_TOKEN_TYPE = "urn:shopify:params:oauth:token-type:offline-access-token";
export const ONLINE_TOKEN_TYPE = "urn:shopify:params:oauth:token-type:online-access-token";

const ONLINE_TOKEN_SECONDS = 86_399;
const EXPIRING_OFFLINE_TOKEN_SECONDS = 3_600;
const REFRESH_TOKEN_SECONDS = 7_776_000;
/** Shopify's libraries accept session tokens up to 10 s outside their validity window. */
const CLOCK_TOLERANCE_SECONDS = 10;

/** A token's shop, expiry and the scopes it was granted (what Shopify checks each field against). */
type Grant = { shop: string; expiresAt: number | null; scopes: readonly string[] };

export type AccessTokenRegistry = {
  issue(shop: string, kind: "offline" | "online", expiresInSeconds?: number, scopes?: readonly string[]): string;
  isValidFor(token: string, shop: string): boolean;
  /** The scopes a token was issued with; null for a token this registry never issued. */
  scopesOf(token: string): readonly string[] | null;
  /** A merchant approved a scope change: the shop's live tokens carry the new scopes from now on. */
  regrant(shop: string, scopes: readonly string[]): void;
  issueRefreshToken(shop: string): string;
  /** The shop a live refresh token belongs to; the token is spent either way. */
  spendRefreshToken(token: string): string | null;
};

export function createAccessTokenRegistry(clock: () => number, defaultScopes: readonly string[] = []): AccessTokenRegistry {
  const accessTokens = new Map<string, Grant>();
  const refreshTokens = new Map<string, Grant>();
  const expiry = (seconds?: number) => (seconds === undefined ? null : clock() + seconds * 1000);
  return {
    issue(shop, kind, expiresInSeconds, scopes = defaultScopes) {
      // Shopify's prefixes: shpat_ for app (offline) tokens, shpua_ for user (online) tokens.
      const token = `${kind === "online" ? "shpua" : "shpat"}_${randomBytes(16).toString("hex")}`;
      accessTokens.set(token, { shop, expiresAt: expiry(expiresInSeconds), scopes: [...scopes] });
      return token;
    },
    scopesOf(token) {
      return accessTokens.get(token)?.scopes ?? null;
    },
    regrant(shop, scopes) {
      for (const grant of accessTokens.values()) if (grant.shop === shop) grant.scopes = [...scopes];
    },
    isValidFor(token, shop) {
      const grant = accessTokens.get(token);
      return grant !== undefined && grant.shop === shop && (grant.expiresAt === null || grant.expiresAt > clock());
    },
    issueRefreshToken(shop) {
      const token = `shprt_${randomBytes(16).toString("hex")}`;
      refreshTokens.set(token, { shop, expiresAt: expiry(REFRESH_TOKEN_SECONDS), scopes: [] });
      return token;
    },
    spendRefreshToken(token) {
      const grant = refreshTokens.get(token);
      refreshTokens.delete(token);
      return grant && grant.expiresAt !== null && grant.expiresAt > clock() ? grant.shop : null;
    },
  };
}

export type SessionTokenPayload = { iss?: string; dest?: string; aud?: string; sub?: string; exp?: number; nbf?: number };

function base64UrlJson(part: string): unknown {
  return JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
}

/** Checks a session token the way Shopify does: HS256 over the app's secret, inside its validity window. */
export function verifySessionToken(token: string, secret: string, nowMs: number): { payload: SessionTokenPayload } | { problem: string } {
  const parts = token.split(".");
  if (parts.length !== 3) return { problem: "subject_token is not a JWT" };
  let header: { alg?: string };
  let payload: SessionTokenPayload;
  try {
    header = base64UrlJson(parts[0]) as { alg?: string };
    payload = base64UrlJson(parts[1]) as SessionTokenPayload;
  } catch {
    return { problem: "subject_token is not a JWT" };
  }
  if (header.alg !== "HS256") return { problem: "subject_token must be signed with HS256" };
  const expected = createHmac("sha256", secret).update(`${parts[0]}.${parts[1]}`).digest();
  const actual = Buffer.from(parts[2], "base64url");
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return { problem: "subject_token signature is invalid" };
  const now = nowMs / 1000;
  if (typeof payload.exp !== "number" || payload.exp + CLOCK_TOLERANCE_SECONDS < now) return { problem: "subject_token has expired" };
  if (typeof payload.nbf === "number" && payload.nbf - CLOCK_TOLERANCE_SECONDS > now) return { problem: "subject_token is not valid yet" };
  return { payload };
}

export type OAuthAnswer = { status: number; body: Record<string, unknown> };

export type AccessTokenRequestContext = {
  shop: ShopFixture;
  apiKey?: string;
  apiSecret?: string;
  grantedScopes: readonly string[];
  tokens: AccessTokenRegistry;
  clock: () => number;
};

const invalidClient: OAuthAnswer = { status: 401, body: { error: "invalid_client", error_description: "Client credentials are invalid." } };

function invalidRequest(error: string, description: string): OAuthAnswer {
  return { status: 400, body: { error, error_description: description } };
}

/** Answers POST /admin/oauth/access_token for one shop. */
export function answerAccessTokenRequest(form: Record<string, string>, context: AccessTokenRequestContext): OAuthAnswer {
  const { shop, apiKey, apiSecret, grantedScopes, tokens, clock } = context;
  if (!form.client_id || !form.client_secret) return invalidClient;
  if (apiKey !== undefined && form.client_id !== apiKey) return invalidClient;
  if (apiSecret !== undefined && form.client_secret !== apiSecret) return invalidClient;
  const scope = grantedScopes.join(",");

  if (form.grant_type === "refresh_token") {
    if (tokens.spendRefreshToken(form.refresh_token ?? "") !== shop.myshopifyDomain) return invalidRequest("invalid_grant", "The refresh token is invalid or has expired.");
    return { status: 200, body: expiringOfflineToken(shop.myshopifyDomain, grantedScopes, tokens) };
  }
  if (form.grant_type !== TOKEN_EXCHANGE_GRANT) return invalidRequest("unsupported_grant_type", `grant_type must be ${TOKEN_EXCHANGE_GRANT}`);
  if (form.subject_token_type !== ID_TOKEN_TYPE) return invalidRequest("invalid_request", `subject_token_type must be ${ID_TOKEN_TYPE}`);

  const verified = verifySessionToken(form.subject_token ?? "", apiSecret ?? form.client_secret, clock());
  if ("problem" in verified) return invalidRequest("invalid_subject_token", verified.problem);
  if (verified.payload.dest !== `https://${shop.myshopifyDomain}`) return invalidRequest("invalid_subject_token", "subject_token was issued for another shop");
  if (verified.payload.aud !== form.client_id) return invalidRequest("invalid_subject_token", "subject_token was issued for another app");

  if (form.requested_token_type === ONLINE_TOKEN_TYPE) {
    const [firstName, ...lastNames] = shop.shopOwnerName.split(" ");
    return {
      status: 200,
      body: {
        access_token: tokens.issue(shop.myshopifyDomain, "online", ONLINE_TOKEN_SECONDS, grantedScopes),
        scope,
        expires_in: ONLINE_TOKEN_SECONDS,
        associated_user_scope: scope,
        associated_user: {
          id: Number(verified.payload.sub),
          first_name: firstName,
          last_name: lastNames.join(" "),
          email: shop.email,
          email_verified: true,
          account_owner: true,
          locale: "en",
          collaborator: false,
        },
      },
    };
  }
  if (form.requested_token_type !== OFFLINE_TOKEN_TYPE) return invalidRequest("invalid_request", "requested_token_type must be an online or offline access token type");
  if (form.expiring === "1") return { status: 200, body: expiringOfflineToken(shop.myshopifyDomain, grantedScopes, tokens) };
  return { status: 200, body: { access_token: tokens.issue(shop.myshopifyDomain, "offline", undefined, grantedScopes), scope } };
}

function expiringOfflineToken(shop: string, grantedScopes: readonly string[], tokens: AccessTokenRegistry) {
  const scope = grantedScopes.join(",");
  return {
    access_token: tokens.issue(shop, "offline", EXPIRING_OFFLINE_TOKEN_SECONDS, grantedScopes),
    expires_in: EXPIRING_OFFLINE_TOKEN_SECONDS,
    refresh_token: tokens.issueRefreshToken(shop),
    refresh_token_expires_in: REFRESH_TOKEN_SECONDS,
    scope,
  };
}
