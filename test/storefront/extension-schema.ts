// What Shopify refuses at deploy time but theme check does not catch: a block `target` outside the
// allowed ones, and a setting id used twice across the extension's blocks.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { readBlockSchema } from "./liquid";

/** App blocks go in sections; app embeds in head, body or the compliance head. */
export const VALID_TARGETS = ["section", "head", "body", "compliance_head"] as const;

export function extensionSchemaProblems(extensionRoot: string): string[] {
  const problems: string[] = [];
  const owners = new Map<string, string>();
  for (const file of readdirSync(join(extensionRoot, "blocks")).filter((f) => f.endsWith(".liquid")).sort()) {
    let schema;
    try {
      schema = readBlockSchema(readFileSync(join(extensionRoot, "blocks", file), "utf8"));
    } catch (error) {
      problems.push(`${file}: unreadable schema (${(error as Error).message})`);
      continue;
    }
    if (!(VALID_TARGETS as readonly string[]).includes(schema.target)) {
      problems.push(`${file}: target "${schema.target}" is not one of ${VALID_TARGETS.join(", ")}`);
    }
    for (const setting of schema.settings ?? []) {
      if (!setting.id) continue;
      const owner = owners.get(setting.id);
      if (owner) problems.push(`${file}: setting id "${setting.id}" is already used in ${owner}`);
      else owners.set(setting.id, file);
    }
  }
  return problems;
}
