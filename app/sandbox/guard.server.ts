import { config } from "../config.server";

/** Sandbox routes exist only when SANDBOX_MODE is on; anywhere else they answer 404 like any unknown URL. */
export function requireSandbox(): { shop: string; orderStatusUrl?: string } {
  const sandbox = config().sandbox;
  if (!sandbox) throw new Response("Not Found", { status: 404 });
  return sandbox;
}
