// Key rotation, step 4 (README "Rotating ENCRYPTION_KEYS"): re-encrypts every stored secret under the
// first key of ENCRYPTION_KEYS. `npm run keys:reencrypt -- --count` only counts. Exits 1 while any
// secret still needs the old key, so a deploy script can refuse to drop it.
import { config } from "../app/config.server";
import prisma from "../app/db.server";
import { createProducerConnection } from "../app/queues/redis.server";
import { countOldSecrets, reencryptAllSecrets, totalOld, type OldSecretCounts } from "../app/security/reencryption.server";

const settings = config();
const redis = createProducerConnection(settings.redis.url, { enableOfflineQueue: true, maxRetriesPerRequest: 20 });
const deps = { db: prisma, redis, prefix: `${settings.redis.prefix}:`, keyring: settings.encryption };

try {
  let remaining: OldSecretCounts;
  if (process.argv.includes("--count")) {
    remaining = await countOldSecrets(deps);
  } else {
    const result = await reencryptAllSecrets(deps);
    remaining = result.remaining;
    console.log(`Re-encrypted ${result.rewritten} secrets under key version ${settings.encryption.current}.`);
  }
  console.log(`Still under an old key or format: ${totalOld(remaining)} (${JSON.stringify(remaining)}).`);
  if (remaining.unreadable > 0) console.log(`${remaining.unreadable} secrets open with none of the configured keys: they stay as they are.`);
  process.exitCode = totalOld(remaining) + remaining.unreadable > 0 ? 1 : 0;
} finally {
  await prisma.$disconnect();
  redis.disconnect();
}
