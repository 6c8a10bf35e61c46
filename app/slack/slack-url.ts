import { isLoopbackHost } from "../security/network-address";

/**
 * Which URLs the app will POST Slack messages to. Slack's incoming webhooks are always
 * https://hooks.slack.com/services/… (api.slack.com/messaging/webhooks), so that host alone is
 * accepted; the sandbox's local receiver (loopback) only where the configuration allows it, never in
 * production. Private and link-local addresses are never accepted.
 */
export function isSlackWebhookUrl(value: string, { allowLocalReceiver }: { allowLocalReceiver: boolean }): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  if (url.protocol === "https:" && url.hostname === "hooks.slack.com" && url.port === "" && url.pathname.startsWith("/services/")) return true;
  return allowLocalReceiver && (url.protocol === "http:" || url.protocol === "https:") && isLoopbackHost(url.hostname);
}
