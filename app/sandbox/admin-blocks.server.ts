import { z } from "zod";
import prisma from "../db.server";
import { unauthenticated } from "../shopify.server";
import { runAdminQuery } from "../shopify/admin-graphql.server";

/**
 * Which of the sandbox shop's customers and orders the sandbox shows the admin blocks on: the
 * customer who chatted last (signed in), the newest order whose customer chatted, and a customer who
 * never chatted (the empty state) when the store has one (the sandbox's history may cover them all).
 */

const SANDBOX_ADMIN_BLOCK_RESOURCES = `#graphql
  query SandboxAdminBlockResources {
    orders(first: 50, sortKey: CREATED_AT, reverse: true) {
      nodes {
        id
        customer {
          id
        }
      }
    }
    customers(first: 50) {
      nodes {
        id
      }
    }
  }
`;

const answer = z.object({
  orders: z.object({ nodes: z.array(z.object({ id: z.string(), customer: z.object({ id: z.string() }).nullable() })) }),
  customers: z.object({ nodes: z.array(z.object({ id: z.string() })) }),
});

export type SandboxSurface = { key: string; title: string; target: string; selectedId: string };

export async function sandboxAdminSurfaces(shop: string): Promise<SandboxSurface[]> {
  const chatted = await prisma.conversationRecord.findMany({ where: { shop, shopifyCustomerId: { not: null } }, orderBy: { createdAt: "desc" }, select: { shopifyCustomerId: true } });
  const customerId = chatted[0]?.shopifyCustomerId;
  if (!customerId) return [];
  const { admin } = await unauthenticated.admin(shop);
  const data = await runAdminQuery(admin.graphql, SANDBOX_ADMIN_BLOCK_RESOURCES, answer);
  const chattedIds = new Set(chatted.map((c) => c.shopifyCustomerId));
  const quiet = data.customers.nodes.find((c) => !chattedIds.has(c.id.split("/").pop()!));
  const order = data.orders.nodes.find((o) => o.customer && chattedIds.has(o.customer.id.split("/").pop()!));
  const customerGid = `gid://shopify/Customer/${customerId}`;
  return [
    { key: "customer", title: "Customer page: chat conversations block", target: "admin.customer-details.block.render", selectedId: customerGid },
    ...(quiet ? [{ key: "customer-empty", title: "Customer page of a customer who never chatted", target: "admin.customer-details.block.render", selectedId: quiet.id }] : []),
    ...(order ? [{ key: "order", title: "Order page: chat around this order", target: "admin.order-details.block.render", selectedId: order.id }] : []),
    { key: "message", title: "Customer page action: Message this customer in chat", target: "admin.customer-details.action.render", selectedId: customerGid },
  ];
}
