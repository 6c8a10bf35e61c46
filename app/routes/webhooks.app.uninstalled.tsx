import type { ActionFunctionArgs } from "@remix-run/node";
import prisma from "../db.server";
import { logger } from "../logger.instance.server";
import { authenticate } from "../shopify.server";

// Shopify may deliver this more than once, and after the sessions are already gone: every step is idempotent.
export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, topic } = await authenticate.webhook(request);
  await prisma.session.deleteMany({ where: { shop } });
  await prisma.shop.updateMany({ where: { domain: shop, uninstalledAt: null }, data: { uninstalledAt: new Date() } });
  logger.info({ shop, topic }, "app uninstalled");
  return new Response();
};
