/** @jsxImportSource preact */
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import type { OrderBlockData } from "../../../app/services/admin-blocks";
import { resourceId, useAppData } from "./app-data";
import { ConversationList, CsatNote, LoadState } from "./conversation-list";

// admin.order-details.block.render: the order's customer's conversations before and after it was placed.
export default async () => {
  render(<OrderConversations />, document.body);
};

function OrderConversations() {
  const { i18n, data: page } = shopify;
  const data = useAppData<OrderBlockData>(`/api/admin-blocks/order/${resourceId(page.selected)}`);
  const count = data.state === "ready" ? data.data.before.length + data.data.after.length : 0;
  return (
    <s-admin-block heading={i18n.translate("order.heading")} collapsedSummary={data.state === "ready" ? i18n.translate("order.summary", { count }) : undefined}>
      {data.state !== "ready" ? (
        <LoadState data={data} i18n={i18n} />
      ) : !data.data.order.hasCustomer ? (
        <s-text color="subdued">{i18n.translate("order.noCustomer")}</s-text>
      ) : (
        <s-stack direction="block" gap="base">
          <s-heading>{i18n.translate("order.before", { days: data.data.windowDays })}</s-heading>
          {data.data.before.length ? <ConversationList conversations={data.data.before} i18n={i18n} /> : <s-text color="subdued">{i18n.translate("order.noneBefore")}</s-text>}
          <s-divider />
          <s-heading>{i18n.translate("order.after", { days: data.data.windowDays })}</s-heading>
          {data.data.after.length ? <ConversationList conversations={data.data.after} i18n={i18n} /> : <s-text color="subdued">{i18n.translate("order.noneAfter")}</s-text>}
          {count > 0 && <CsatNote i18n={i18n} />}
        </s-stack>
      )}
    </s-admin-block>
  );
}
