import { requireSandbox } from "../sandbox/guard.server";
import host from "../sandbox/admin-extension-host.js?raw";

// The admin's stand-in around an admin UI extension (see the file's header for what it assumes).
export const loader = async () => {
  requireSandbox();
  return new Response(host, { headers: { "Content-Type": "text/javascript; charset=utf-8", "Cache-Control": "no-store" } });
};
