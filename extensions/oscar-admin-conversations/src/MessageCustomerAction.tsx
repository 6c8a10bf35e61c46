/** @jsxImportSource preact */
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { useState } from "preact/hooks";
import type { CustomerBlockData, MessageOutcome } from "../../../app/services/admin-blocks";
import { resourceId, useAppData } from "./app-data";
import { LoadState } from "./conversation-list";

// admin.customer-details.action.render: "Message this customer in chat". Oscar's API cannot start a
// conversation, so the message goes into the customer's newest open one (an outgoing message they see).
export default async () => {
  render(<MessageCustomer />, document.body);
};

type Sending = { state: "editing" } | { state: "sending" } | { state: "sent" } | { state: "failed"; reason: string };

function MessageCustomer() {
  const { i18n, data: page, close } = shopify;
  const t = i18n.translate;
  const customerId = resourceId(page.selected);
  const data = useAppData<CustomerBlockData>(`/api/admin-blocks/customer/${customerId}`);
  const [content, setContent] = useState("");
  const [sending, setSending] = useState<Sending>({ state: "editing" });
  // One id per opening of the action: a retried send after a timeout stays one message in Oscar.
  const [requestId] = useState(() => crypto.randomUUID());

  const open = data.state === "ready" ? data.data.conversations.find((c) => c.status === "open") : undefined;

  async function send() {
    if (!open || !content.trim()) return;
    setSending({ state: "sending" });
    try {
      const response = await fetch(`/api/admin-blocks/customer/${customerId}/messages`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ conversationId: open.conversationId, content, requestId }),
      });
      const outcome = (await response.json().catch(() => null)) as MessageOutcome | null;
      if (response.ok && outcome?.sent) setSending({ state: "sent" });
      else setSending({ state: "failed", reason: outcome && !outcome.sent ? outcome.reason : "other" });
    } catch {
      setSending({ state: "failed", reason: "other" });
    }
  }

  const canSend = Boolean(open) && sending.state !== "sent";
  return (
    <s-admin-action heading={t("message.heading")} loading={data.state === "loading"}>
      <s-stack direction="block" gap="base">
        {data.state !== "ready" ? (
          <LoadState data={data} i18n={i18n} />
        ) : !open ? (
          <s-stack direction="block" gap="small-200">
            <s-text>{t("message.noOpen")}</s-text>
            <s-text color="subdued">{t("message.cannotStart")}</s-text>
          </s-stack>
        ) : (
          <s-stack direction="block" gap="small-200">
            <s-text>{t("message.to", { date: i18n.formatDate(new Date(open.startedAt), { dateStyle: "medium" }) })}</s-text>
            <s-text-area
              label={t("message.label")}
              value={content}
              rows={4}
              maxLength={2000}
              disabled={sending.state === "sending" || sending.state === "sent"}
              onInput={(event) => setContent(event.currentTarget.value)}
            />
            <s-text color="subdued">{t("message.cannotStart")}</s-text>
          </s-stack>
        )}
        {sending.state === "sent" && <s-banner tone="success">{t("message.sent")}</s-banner>}
        {sending.state === "failed" && <s-banner tone="critical">{t(`message.failed.${sending.reason}`)}</s-banner>}
      </s-stack>
      {canSend && (
        <s-button slot="primary-action" variant="primary" loading={sending.state === "sending"} disabled={!content.trim()} onClick={send}>
          {t("message.send")}
        </s-button>
      )}
      <s-button slot="secondary-actions" onClick={close}>
        {t("message.cancel")}
      </s-button>
    </s-admin-action>
  );
}
