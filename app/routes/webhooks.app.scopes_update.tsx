import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import prisma from "../db.server";
import { authenticate } from "../shopify.server";

const scopesUpdate = z.object({ current: z.array(z.string()) });

// Keeps the stored scopes current when the merchant approves a change of access.
export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, payload, session } = await authenticate.webhook(request);
  const parsed = scopesUpdate.safeParse(payload);
  if (!parsed.success) return new Response("The payload has no list of current scopes.", { status: 400 });
  const scope = parsed.data.current.join(",");
  if (session) await prisma.session.update({ where: { id: session.id }, data: { scope } });
  await prisma.shop.updateMany({ where: { domain: shop }, data: { scopes: scope } });
  return new Response();
};
