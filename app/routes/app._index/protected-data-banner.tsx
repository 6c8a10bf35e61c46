import { Banner, Text } from "@shopify/polaris";
import { PROTECTED_DATA_NOTICE_TITLE } from "../../services/protected-data-notice-text";

/** Tells the merchant that Shopify withholds customer details and what to request. */
export function ProtectedDataBanner({ text }: { text: string }) {
  return (
    <Banner tone="warning" title={PROTECTED_DATA_NOTICE_TITLE}>
      <Text as="p">{text}</Text>
    </Banner>
  );
}
