/** Posting to a merchant's Slack through an incoming-webhook URL (the URL is the secret). */

export class SlackDeliveryError extends Error {
  override name = "SlackDeliveryError";
  constructor(message: string, readonly permanent: boolean, readonly status?: number) {
    super(message);
  }
}

export type SlackMessage = { text: string; blocks?: unknown[] };

export type SlackSender = (url: string, message: SlackMessage) => Promise<{ status: number; body: string }>;

/**
 * Sends one message. Slack answers 200 "ok"; 4xx means the URL is revoked or the payload wrong
 * (permanent), 429/5xx or no answer may pass (transient). Errors never quote the URL.
 */
export function createSlackSender({ fetch: fetchImpl = fetch, timeoutMs = 5_000 }: { fetch?: typeof fetch; timeoutMs?: number } = {}): SlackSender {
  return async (url, message) => {
    let response: Response;
    try {
      response = await fetchImpl(url, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(message),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch {
      throw new SlackDeliveryError("Slack did not answer.", false);
    }
    const body = (await response.text()).slice(0, 200);
    if (response.ok) return { status: response.status, body };
    const permanent = response.status >= 400 && response.status < 500 && response.status !== 429;
    throw new SlackDeliveryError(`Slack answered ${response.status}${body ? ` (${body})` : ""}.`, permanent, response.status);
  };
}
