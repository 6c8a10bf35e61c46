import { copyFileSync } from "node:fs";
import { join } from "node:path";
import type { PrismaClient } from "@prisma/client";
import { inject } from "vitest";
import { createPrismaClient } from "../../app/db/client.server";

let counter = 0;

/** A migrated SQLite database of its own for one test file (a copy of the run's template). */
export function freshDatabase(label: string): { url: string; file: string; connect(): PrismaClient } {
  const file = join(inject("runDir"), `${label}-${process.pid}-${++counter}.sqlite`);
  copyFileSync(inject("templateDb"), file);
  const url = `file:${file}`;
  return { url, file, connect: () => createPrismaClient(url) };
}
