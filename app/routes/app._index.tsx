import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { Badge, BlockStack, Card, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import prisma from "../db.server";
import { findShop } from "../models/shop.server";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = await findShop(prisma, session.shop);
  return {
    shopDomain: session.shop,
    store: shop?.detailsSyncedAt
      ? {
          name: shop.name,
          currencyCode: shop.currencyCode,
          ianaTimezone: shop.ianaTimezone,
          planName: shop.planName,
          syncedAt: shop.detailsSyncedAt.toISOString(),
        }
      : null,
  };
};

export default function Home() {
  const { shopDomain, store } = useLoaderData<typeof loader>();
  const revalidator = useRevalidator();
  // Right after install the worker is still reading the store's details: check again until they arrive.
  useEffect(() => {
    if (store) return;
    const timer = setInterval(() => revalidator.state === "idle" && revalidator.revalidate(), 2_000);
    return () => clearInterval(timer);
  }, [store, revalidator]);
  return (
    <Page title="Oscar Chat">
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <InlineStack align="space-between" blockAlign="center">
                <Text as="h2" variant="headingMd">
                  {store?.name ?? shopDomain}
                </Text>
                {store ? <Badge tone="success">Store details synced</Badge> : <Badge tone="attention">Reading store details</Badge>}
              </InlineStack>
              {store ? (
                <BlockStack gap="100">
                  <Text as="p">Currency: {store.currencyCode}</Text>
                  <Text as="p">Timezone: {store.ianaTimezone}</Text>
                  <Text as="p">Shopify plan: {store.planName}</Text>
                </BlockStack>
              ) : (
                <Text as="p" tone="subdued">
                  Oscar Chat is reading your store's name, currency and timezone. This takes a few seconds.
                </Text>
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
