import type { LoaderFunctionArgs } from "@remix-run/node";
import { config } from "../config.server";
import { requireSandbox } from "../sandbox/guard.server";
import { sandboxAdminSurfaces } from "../sandbox/admin-blocks.server";
import { adminExtensionHostPage } from "../sandbox/admin-extension-host.server";

const EXTENSION = "oscar-admin-conversations";

// One admin UI extension target on a page of its own, with the sandbox shop's data and session tokens.
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop } = requireSandbox();
  const surface = (await sandboxAdminSurfaces(shop)).find((s) => s.key === params.surface);
  if (!surface) throw new Response("Not Found", { status: 404 });
  const locale = new URL(request.url).searchParams.get("locale") === "fr" ? "fr" : "en";
  const html = adminExtensionHostPage(
    {
      target: surface.target,
      selectedId: surface.selectedId,
      locale,
      appUrl: config().shopify.appUrl,
      tokenUrl: "/sandbox/session-token",
      bundleUrl: `/sandbox/ui-extensions/${EXTENSION}/${surface.target}.js`,
      localesUrl: `/sandbox/ui-extensions/${EXTENSION}/locales`,
    },
    { hostScriptUrl: "/sandbox/admin-blocks/host.js", title: surface.title },
  );
  return new Response(html, { headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" } });
};
