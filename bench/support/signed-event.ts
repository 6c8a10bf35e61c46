import { createHmac, randomUUID } from "node:crypto";

/**
 * One Oscar conversation.resolved webhook as the load generators send it: a fresh event id and
 * conversation each time, signed as Oscar signs it (x-oscar-signature) when a secret is given.
 */
export function signedOscarEvent(secret: string | undefined): { body: string; headers: Record<string, string> } {
  const body = JSON.stringify({
    id: `evt_${randomUUID()}`,
    type: "conversation.resolved",
    data: { conversation_id: `conv_load_${randomUUID()}` },
  });
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (secret) headers["x-oscar-signature"] = `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
  return { body, headers };
}
