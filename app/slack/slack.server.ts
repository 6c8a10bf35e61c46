/** Posting to a merchant's Slack through an incoming-webhook URL (the URL is the secret). */
import { isSlackWebhookUrl } from "./slack-url";

export class SlackDeliveryError extends Error {
  override name = "SlackDeliveryError";
  constructor(message: string, readonly permanent: boolean, readonly status?: number) {
    super(message);
  }
}

export type SlackMessage = { text: string; blocks?: unknown[] };

/** What Slack answered: the status only, as the body is whatever the far end chose to say. */
export type SlackSender = (url: string, message: SlackMessage) => Promise<{ status: number }>;

/**
 * Sends one message. Slack answers 200 "ok"; 4xx means the URL is revoked or the payload wrong
 * (permanent), 429/5xx or no answer may pass (transient). Errors never quote the URL or Slack's body,
 * a redirect is not followed (Slack's webhooks never redirect; one that does points somewhere else),
 * and only Slack's host (or, in the sandbox, a local receiver) is ever contacted.
 */
export function createSlackSender({ fetch: fetchImpl = fetch, timeoutMs = 5_000, allowLocalReceiver = false }: {
  fetch?: typeof fetch;
  timeoutMs?: number;
  allowLocalReceiver?: boolean;
} = {}): SlackSender {
  return async (url, message) => {
    if (!isSlackWebhookUrl(url, { allowLocalReceiver })) {
      throw new SlackDeliveryError("The Slack URL is not a Slack incoming-webhook URL (https://hooks.slack.com/services/…), so nothing was sent.", true);
    }
    let response: Response;
    try {
      response = await fetchImpl(url, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(message),
        redirect: "manual",
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch {
      throw new SlackDeliveryError("Slack did not answer.", false);
    }
    await response.body?.cancel().catch(() => {});
    if (response.ok) return { status: response.status };
    if (response.status >= 300 && response.status < 400) {
      throw new SlackDeliveryError(
        `The Slack URL answered ${response.status} with a redirect, which the app does not follow: use the incoming-webhook URL exactly as Slack shows it.`,
        true,
        response.status,
      );
    }
    const permanent = response.status >= 400 && response.status < 500 && response.status !== 429;
    throw new SlackDeliveryError(`Slack answered ${response.status}.`, permanent, response.status);
  };
}
