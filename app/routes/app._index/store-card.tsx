import { Badge, BlockStack, Card, InlineStack, Text } from "@shopify/polaris";
import type { HomeData } from "./types";

export function StoreCard({ shopDomain, store }: { shopDomain: string; store: HomeData["store"] }) {
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center" gap="200">
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
  );
}
