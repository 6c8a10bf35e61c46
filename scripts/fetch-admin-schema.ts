// Downloads Shopify's Admin GraphQL schema into .cache once, so tests that need it run offline.
import { ensureAdminSchemaFile } from "../sim/shopify-admin/schema";

const file = await ensureAdminSchemaFile();
process.stdout.write(`Shopify Admin GraphQL schema ready at ${file}\n`);
