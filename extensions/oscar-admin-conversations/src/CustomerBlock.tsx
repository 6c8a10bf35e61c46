/** @jsxImportSource preact */
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import type { CustomerBlockData } from "../../../app/services/admin-blocks";
import { resourceId, useAppData } from "./app-data";
import { ConversationList, CsatNote, LoadState } from "./conversation-list";

// admin.customer-details.block.render: the customer's recent chat conversations, from the app's records.
export default async () => {
  render(<CustomerConversations />, document.body);
};

function CustomerConversations() {
  const { i18n, data: page } = shopify;
  const data = useAppData<CustomerBlockData>(`/api/admin-blocks/customer/${resourceId(page.selected)}`);
  const count = data.state === "ready" ? data.data.conversations.length : 0;
  return (
    <s-admin-block heading={i18n.translate("customer.heading")} collapsedSummary={data.state === "ready" ? i18n.translate("customer.summary", { count }) : undefined}>
      {data.state !== "ready" ? (
        <LoadState data={data} i18n={i18n} />
      ) : count === 0 ? (
        <s-text color="subdued">{i18n.translate("customer.empty")}</s-text>
      ) : (
        <s-stack direction="block" gap="base">
          <ConversationList conversations={data.data.conversations} i18n={i18n} />
          <CsatNote i18n={i18n} />
        </s-stack>
      )}
    </s-admin-block>
  );
}
