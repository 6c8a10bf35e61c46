import { readFile } from "node:fs/promises";
import { join, resolve, sep } from "node:path";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireSandbox } from "../sandbox/guard.server";

const BUILT = resolve("build/ui-extensions");
const TYPES: Record<string, string> = { ".js": "text/javascript; charset=utf-8", ".json": "application/json; charset=utf-8" };

// The UI extensions as `npm run build` bundled them, for the sandbox's admin stand-in.
export const loader = async ({ params }: LoaderFunctionArgs) => {
  requireSandbox();
  const file = resolve(join(BUILT, params["*"] ?? ""));
  const type = TYPES[file.slice(file.lastIndexOf("."))];
  if (!file.startsWith(BUILT + sep) || !type) throw new Response("Not Found", { status: 404 });
  const body = await readFile(file).catch(() => null);
  if (!body) throw new Response("Not Found", { status: 404 });
  return new Response(body, { headers: { "Content-Type": type, "Cache-Control": "no-store" } });
};
