import { z } from "zod";
import prisma from "../db.server";
import { unauthenticated } from "../shopify.server";
import { runAdminQuery } from "../shopify/admin-graphql.server";

/**
 * Which of the sandbox shop's customers and orders the sandbox shows the admin blocks on: the
 * customer who chatted last (signed in), a customer who never chatted (the empty state), and that
 * first customer's latest order in the (fake) Admin API.
 */

const SANDBOX_ADMIN_BLOCK_RESOURCES = `#graphql
  query SandboxAdminBlockResources($customerId: ID!) {
    customer(id: $customerId) {
      orders(first: 1, sortKey: CREATED_AT, reverse: true) {
        nodes {
          id
        }
      }
    }
    customers(first: 25) {
      nodes {
        id
      }
    }
  }
`;

const answer = z.object({
  customer: z.object({ orders: z.object({ nodes: z.array(z.object({ id: z.string() })) }) }).nullable(),
  customers: z.object({ nodes: z.array(z.object({ id: z.string() })) }),
});

export type SandboxSurface = { key: string; title: string; target: string; selectedId: string };

export async function sandboxAdminSurfaces(shop: string): Promise<SandboxSurface[]> {
  const chatted = await prisma.conversationRecord.findMany({ where: { shop, shopifyCustomerId: { not: null } }, orderBy: { createdAt: "desc" }, select: { shopifyCustomerId: true } });
  const customerId = chatted[0]?.shopifyCustomerId;
  if (!customerId) return [];
  const { admin } = await unauthenticated.admin(shop);
  const data = await runAdminQuery(admin.graphql, SANDBOX_ADMIN_BLOCK_RESOURCES, answer, { customerId: `gid://shopify/Customer/${customerId}` });
  const chattedIds = new Set(chatted.map((c) => c.shopifyCustomerId));
  const quiet = data.customers.nodes.find((c) => !chattedIds.has(c.id.split("/").pop()!));
  const order = data.customer?.orders.nodes[0];
  const customerGid = `gid://shopify/Customer/${customerId}`;
  return [
    { key: "customer", title: "Customer page: chat conversations block", target: "admin.customer-details.block.render", selectedId: customerGid },
    ...(quiet ? [{ key: "customer-empty", title: "Customer page of a customer who never chatted", target: "admin.customer-details.block.render", selectedId: quiet.id }] : []),
    ...(order ? [{ key: "order", title: "Order page: chat around this order", target: "admin.order-details.block.render", selectedId: order.id }] : []),
    { key: "message", title: "Customer page action: Message this customer in chat", target: "admin.customer-details.action.render", selectedId: customerGid },
  ];
}
