import { BlockStack, Card, InlineGrid, Text } from "@shopify/polaris";
import type { FigureCard } from "./types";

/** Figures with the previous period's value and the change, one card each. */
export function FigureCards({ cards }: { cards: FigureCard[] }) {
  return (
    <InlineGrid columns={{ xs: 1, sm: 2, md: 3 }} gap="400">
      {cards.map((card) => (
        <Card key={card.label}>
          <BlockStack gap="100">
            <Text as="h3" variant="headingSm" tone="subdued">
              {card.label}
            </Text>
            <Text as="p" variant="heading2xl">
              {card.value}
            </Text>
            <Text as="p" variant="bodySm" tone="subdued">
              Previous period: {card.previous}
              {card.change ? ` (${card.change})` : ""}
            </Text>
            {card.help ? (
              <Text as="p" variant="bodySm">
                {card.help}
              </Text>
            ) : null}
          </BlockStack>
        </Card>
      ))}
    </InlineGrid>
  );
}
