/** @jsxImportSource preact */
import type { BlockConversation } from "../../../app/services/admin-blocks";
import type { AppData } from "./app-data";

type I18n = { translate: (key: string, options?: Record<string, string | number>) => string; formatDate: (date: Date, options?: Intl.DateTimeFormatOptions) => string };

const day = (i18n: I18n, iso: string) => i18n.formatDate(new Date(iso), { dateStyle: "medium" });

/** One conversation: when, its status, what the app did (labels, escalations), and the way to it in Oscar. */
function ConversationRow({ conversation, i18n }: { conversation: BlockConversation; i18n: I18n }) {
  const t = i18n.translate;
  return (
    <s-stack direction="block" gap="small-200">
      <s-stack direction="inline" gap="small-200" alignItems="center">
        <s-text type="strong">{t("conversation.startedOn", { date: day(i18n, conversation.startedAt) })}</s-text>
        <s-badge tone={conversation.status === "open" ? "info" : "success"}>{t(`conversation.${conversation.status}`)}</s-badge>
        {conversation.escalations.map((e) => (
          <s-badge key={e.kind} tone={e.kind === "urgent" ? "critical" : e.kind === "vip" ? "warning" : "caution"}>
            {t(`conversation.escalation.${e.kind}`)}
          </s-badge>
        ))}
      </s-stack>
      {conversation.labels.length > 0 && (
        <s-stack direction="inline" gap="small-200">
          {conversation.labels.map((label) => (
            <s-chip key={label}>{label}</s-chip>
          ))}
        </s-stack>
      )}
      <s-stack direction="inline" gap="base">
        {conversation.resolvedAt && <s-text color="subdued">{t("conversation.resolvedOn", { date: day(i18n, conversation.resolvedAt) })}</s-text>}
        {conversation.assigned && <s-text color="subdued">{t("conversation.assigned")}</s-text>}
        <s-link href={conversation.oscarUrl} target="_blank">
          {t("conversation.openInOscar")}
        </s-link>
      </s-stack>
    </s-stack>
  );
}

export function ConversationList({ conversations, i18n }: { conversations: BlockConversation[]; i18n: I18n }) {
  return (
    <s-stack direction="block" gap="base">
      {conversations.map((conversation, i) => (
        <s-stack key={conversation.conversationId} direction="block" gap="base">
          {i > 0 && <s-divider />}
          <ConversationRow conversation={conversation} i18n={i18n} />
        </s-stack>
      ))}
    </s-stack>
  );
}

/** Loading, not found and error, the same in every block; null once the data is there. */
export function LoadState<T>({ data, i18n }: { data: AppData<T>; i18n: I18n }) {
  if (data.state === "loading") {
    return (
      <s-stack direction="inline" gap="small-200" alignItems="center">
        <s-spinner accessibilityLabel={i18n.translate("loading")} />
        <s-text color="subdued">{i18n.translate("loading")}</s-text>
      </s-stack>
    );
  }
  if (data.state === "not-found") return <s-text color="subdued">{i18n.translate("notFound")}</s-text>;
  if (data.state === "withheld") return <s-banner tone="warning">{i18n.translate("withheld")}</s-banner>;
  if (data.state === "error") return <s-banner tone="critical">{i18n.translate("error")}</s-banner>;
  return null;
}

export function CsatNote({ i18n }: { i18n: I18n }) {
  return <s-text color="subdued">{i18n.translate("csatNote")}</s-text>;
}
