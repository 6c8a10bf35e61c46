import { getJwt } from "@shopify/shopify-api/test-helpers";
import { adminHostParam } from "../../app/sandbox/session-token.server";
import { BROWSER_UA, TEST_API_KEY, TEST_API_SECRET, type AppStack } from "../harness/app-stack";

/**
 * Requests as the embedded admin sends them: a fresh session token signed with the app's secret in
 * the Authorization header, a browser's user agent, and Remix's `_data` parameter naming the route.
 */

export async function sessionToken(shop: string): Promise<string> {
  // getJwt takes the store's name and adds .myshopify.com itself.
  const { token } = await getJwt(shop.replace(".myshopify.com", ""), TEST_API_KEY, TEST_API_SECRET);
  return token;
}

export type RouteAnswer<T = Record<string, unknown>> = { status: number; body: T; text: string };

function dataUrl(stack: AppStack, path: string, routeId: string) {
  const url = new URL(path, stack.appUrl);
  url.searchParams.set("_data", routeId);
  return url.href;
}

async function answer<T>(response: Response): Promise<RouteAnswer<T>> {
  const text = await response.text();
  let body: T;
  try {
    body = JSON.parse(text) as T;
  } catch {
    throw new Error(`expected JSON from the route, got ${response.status}: ${text.slice(0, 300)}`);
  }
  return { status: response.status, body, text };
}

/** A loader's data: `GET <path>?_data=<routeId>`. */
export async function loadRoute<T = Record<string, unknown>>(stack: AppStack, shop: string, path: string, routeId: string): Promise<RouteAnswer<T>> {
  const response = await fetch(dataUrl(stack, path, routeId), {
    headers: { Authorization: `Bearer ${await sessionToken(shop)}`, "User-Agent": BROWSER_UA },
  });
  return answer<T>(response);
}

/** A whole page as the admin's iframe loads it: every loader plus server rendering. */
export async function loadDocument(stack: AppStack, shop: string, path: string): Promise<{ status: number; html: string }> {
  const params = new URLSearchParams({ embedded: "1", shop, host: adminHostParam(shop), id_token: await sessionToken(shop) });
  const response = await fetch(`${stack.appUrl}${path}?${params}`, { headers: { "User-Agent": BROWSER_UA } });
  return { status: response.status, html: await response.text() };
}

/** An action: a form POST to `<path>?_data=<routeId>` (index routes: path "/app?index"). */
export async function postForm<T = FormAnswer>(
  stack: AppStack,
  shop: string,
  path: string,
  routeId: string,
  fields: Record<string, string | string[]>,
): Promise<RouteAnswer<T>> {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) for (const v of [value].flat()) body.append(name, v);
  const response = await fetch(dataUrl(stack, path, routeId), {
    method: "POST",
    headers: { Authorization: `Bearer ${await sessionToken(shop)}`, "User-Agent": BROWSER_UA, "Content-Type": "application/x-www-form-urlencoded" },
    body,
  });
  return answer<T>(response);
}

/** What every admin form action answers (app/http/form-result.server.ts). */
export type FormAnswer = { intent: string; ok: boolean; message: string; errors: Record<string, string> } & Record<string, unknown>;

export const HOME = { path: "/app?index", id: "routes/app._index" } as const;
export const HOME_DATA = { path: "/app", id: "routes/app._index" } as const;
export const SETTINGS = { path: "/app/settings", id: "routes/app.settings" } as const;
export const FAILED_JOBS = { path: "/app/failed-jobs", id: "routes/app.failed-jobs" } as const;
