import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { addDocumentResponseHeaders } from "../shopify.server";

// Shopify opens the app at its root with ?shop=…: send it on to the embedded app.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const url = new URL(request.url);
  const headers = new Headers({ "Content-Type": "text/plain; charset=utf-8" });
  // The same frame-ancestors as the app's pages (the shop's admin) when Shopify names the shop;
  // without one nobody has a reason to frame this page, so nobody may (clickjacking).
  addDocumentResponseHeaders(request, headers);
  if (!headers.has("Content-Security-Policy")) headers.set("Content-Security-Policy", "frame-ancestors 'none'");
  if (url.searchParams.get("shop")) throw redirect(`/app?${url.searchParams.toString()}`, { headers: withoutContentType(headers) });
  return new Response("Oscar Chat for Shopify. Install it from the Shopify App Store and open it from your Shopify admin.", { headers });
};

function withoutContentType(headers: Headers): Headers {
  const copy = new Headers(headers);
  copy.delete("Content-Type");
  return copy;
}
