import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { config } from "../config.server";
import prisma from "../db.server";
import { jsonResponse } from "../http/json.server";
import { requireSandbox } from "../sandbox/guard.server";
import { recordGrantedScopes } from "../services/access-scopes.server";
import { ORDER_COMMAND_OPTIONAL_SCOPES } from "../services/order-command-access";

const Body = z.object({ scopes: z.array(z.string().regex(/^[a-z_]+$/)).min(1).max(10) });

/**
 * Sandbox only: the merchant clicked "Allow" in the App Bridge stand-in's permission dialog. The fake
 * Admin API grants the scopes (refusing any the app did not declare optional), and the app records
 * them as Shopify's app/scopes_update webhook would make it. Answers App Bridge's ScopesDetail.
 */
export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop } = requireSandbox();
  const origin = config().shopify.adminApiOrigin;
  const body = Body.safeParse(await request.json().catch(() => null));
  if (!origin || !body.success) return jsonResponse({ error: "not a scopes request" }, { status: 400 });
  const granted = await fetch(`${origin}/_sandbox/optional-scopes`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-shopify-shop-domain": shop },
    body: JSON.stringify({ grant: body.data.scopes }),
  });
  const answer = (await granted.json()) as { granted?: string[]; error?: string };
  if (!granted.ok || !answer.granted) return jsonResponse({ error: answer.error ?? "the fake Admin API refused" }, { status: 422 });
  await recordGrantedScopes(prisma, shop, answer.granted);
  return jsonResponse({ granted: answer.granted, required: config().shopify.scopes, optional: [...ORDER_COMMAND_OPTIONAL_SCOPES] });
};
