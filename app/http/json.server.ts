/**
 * A JSON response. The server installs Remix's fetch polyfills (single fetch is off), whose
 * Response has no static `Response.json`, so the app builds JSON responses itself.
 */
export function jsonResponse(body: unknown, init: { status?: number; headers?: Record<string, string> } = {}): Response {
  return new Response(JSON.stringify(body), {
    status: init.status ?? 200,
    headers: { "Content-Type": "application/json; charset=utf-8", ...init.headers },
  });
}
