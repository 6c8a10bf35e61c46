import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";

/** Another job is working on this conversation right now; this one will be retried shortly. */
export class ConversationBusyError extends Error {
  override name = "ConversationBusyError";
  constructor() {
    super("Another event of this conversation is being handled; this one will run after it.");
  }
}

const RELEASE_IF_OWNER = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

/**
 * Runs `work` while holding the conversation's lock, shared by every worker process through Redis.
 * Two events of one conversation (two deliveries with different ids, a message right after the
 * conversation opened) are then handled one after the other, so "already done?" checks see each
 * other's results. A crashed holder's lock lapses after `ttlMs`.
 */
export async function withConversationLock<T>(redis: Redis, key: string, ttlMs: number, work: () => Promise<T>): Promise<T> {
  const owner = randomUUID();
  const acquired = await redis.set(key, owner, "PX", ttlMs, "NX");
  if (!acquired) throw new ConversationBusyError();
  try {
    return await work();
  } finally {
    await redis.eval(RELEASE_IF_OWNER, 1, key, owner).catch(() => undefined);
  }
}
