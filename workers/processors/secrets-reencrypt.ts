import type { Job } from "bullmq";
import type { Logger } from "../../app/logger.server";
import { countOldSecrets, reencryptAllSecrets, totalOld, type ReencryptionDeps } from "../../app/security/reencryption.server";

/** `secrets.reencrypt`: rewrites every stored secret under the newest key, then logs what is left (counts only). */
export function createSecretsReencryptProcessor(deps: ReencryptionDeps & { logger: Logger }) {
  return async (_job: Job): Promise<void> => {
    const { rewritten, remaining } = await reencryptAllSecrets(deps);
    deps.logger.info({ rewritten, remaining, keyVersion: deps.keyring.current }, `secrets re-encrypted; ${totalOld(remaining)} still under an old key, ${remaining.unreadable} unreadable`);
  };
}

/**
 * At start-up: tells the operator how many secrets still use an old key and, when some do, queues the
 * re-encryption (one job at a time: the fixed id makes a second start-up's request a no-op).
 */
export async function reportOldSecretsAtStartup(deps: ReencryptionDeps & { logger: Logger; enqueue: () => Promise<unknown> }): Promise<void> {
  const old = await countOldSecrets(deps);
  const total = totalOld(old);
  deps.logger.info({ old, keyVersion: deps.keyring.current }, `${total} stored secrets use an old key or format, ${old.unreadable} cannot be opened with the configured keys`);
  if (total > 0) await deps.enqueue();
}
