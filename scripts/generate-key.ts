// Prints a new ENCRYPTION_KEYS entry: `npm run --silent generate:key` (pass a version number to rotate).
import { generateKeyringEntry } from "../app/security/encryption.server";

console.log(generateKeyringEntry(Number(process.argv[2] ?? 1)));
