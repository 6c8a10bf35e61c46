import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { config } from "../config.server";
import { requireSandbox } from "../sandbox/guard.server";
import { adminHostParam, mintSessionToken } from "../sandbox/session-token.server";

/**
 * The admin pages `/sandbox?page=<page>` may open; anything else opens the home page. Other parameters
 * go on to the page (`&period=custom&from=…&to=…` on analytics), as a link inside the admin would carry them.
 * `?page=admin-blocks` opens the app's blocks and action on the Shopify admin's customer and order pages.
 */
const PAGES = new Set(["analytics", "settings", "knowledge", "failed-jobs", "order-actions"]);

// Sandbox sign-in: opens an embedded page as the sandbox shop, as the Shopify admin would.
// `page=order-status` opens the shopper's side instead: the "Get help with this order" block on the
// order status page of the sandbox customer's orders (the customer accounts stand-in).
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop, orderStatusUrl } = requireSandbox();
  const { apiKey, apiSecret } = config().shopify;
  const asked = new URL(request.url).searchParams;
  const page = asked.get("page") ?? "";
  if (page === "order-status") {
    if (!orderStatusUrl) throw new Response("The customer accounts stand-in is not running: start the sandbox with npm run sandbox.", { status: 404 });
    throw redirect(orderStatusUrl);
  }
  if (page === "admin-blocks") throw redirect("/sandbox/admin-blocks");
  const passedOn = [...asked].filter(([name]) => !["page", "embedded", "shop", "host", "id_token"].includes(name));
  const params = new URLSearchParams([...passedOn, ...Object.entries({
    embedded: "1",
    shop,
    host: adminHostParam(shop),
    id_token: mintSessionToken({ apiKey, apiSecret, shop }),
  })]);
  throw redirect(`${PAGES.has(page) ? `/app/${page}` : "/app"}?${params.toString()}`);
};
