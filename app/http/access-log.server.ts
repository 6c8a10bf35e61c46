/**
 * The path the access log records. Oscar's webhook URL carries the shop's ingest key (a bearer
 * secret), so any path that routes to it is logged with the key masked, however it was spelled.
 */
const OSCAR_INGEST_PATH = /^\/webhooks\/oscar\//i;

export function accessLogPath(path: string): string {
  return OSCAR_INGEST_PATH.test(routedPath(path)) ? "/webhooks/oscar/[ingest key]" : path;
}

/** The path as the router sees it: percent-escapes decoded, dot segments and repeated slashes resolved. */
function routedPath(path: string): string {
  let decoded = path;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    // a malformed escape stays as it is
  }
  try {
    return new URL(decoded.replace(/\/{2,}/g, "/"), "http://app.invalid").pathname;
  } catch {
    return decoded;
  }
}
