import type { SlackAlertKind } from "../../models/slack-settings.server";
import type { SettingsData } from "./types";

/**
 * The settings form as the merchant edits it. Lists are edited as text (one item per line); Slack
 * URLs are never sent to the page, so each kind holds only a replacement URL typed now, or removal.
 */
export type SettingsFormState = {
  /** null when Oscar is not connected: there is no widget to change. */
  widgetId: string | null;
  urgentKeywords: string;
  urgentAgentId: string;
  urgentLabel: string;
  vipTotalSpent: string;
  vipCustomerTags: string;
  vipAgentId: string;
  vipLabel: string;
  botEscalationAgents: string;
  slack: Record<SlackAlertKind, { url: string; remove: boolean }>;
  orderStatusEnabled: boolean;
  orderStatusFields: string[];
};

export function initialFormState(data: SettingsData): SettingsFormState {
  const { rules } = data;
  return {
    widgetId: data.connection ? (data.connection.widgetId ?? "") : null,
    urgentKeywords: rules.urgentKeywords.join("\n"),
    urgentAgentId: rules.urgentAgentId ?? "",
    urgentLabel: rules.urgentLabel,
    vipTotalSpent: String(rules.vipTotalSpent),
    vipCustomerTags: rules.vipCustomerTags.join(", "),
    vipAgentId: rules.vipAgentId ?? "",
    vipLabel: rules.vipLabel,
    botEscalationAgents: rules.botEscalationAgents.join("\n"),
    slack: Object.fromEntries(Object.keys(data.slack).map((kind) => [kind, { url: "", remove: false }])) as SettingsFormState["slack"],
    orderStatusEnabled: data.orderStatus.enabled,
    orderStatusFields: [...data.orderStatus.sharedFields],
  };
}

/** The form body the settings action reads (see parseSettingsForm). The widget is sent only when it changed. */
export function toFormData(state: SettingsFormState, initial: SettingsFormState): FormData {
  const form = new FormData();
  form.set("intent", "save");
  if (state.widgetId !== null && state.widgetId !== initial.widgetId) form.set("widgetId", state.widgetId);
  for (const name of ["urgentKeywords", "urgentAgentId", "urgentLabel", "vipTotalSpent", "vipCustomerTags", "vipAgentId", "vipLabel", "botEscalationAgents"] as const) {
    form.set(name, state[name]);
  }
  for (const [kind, { url, remove }] of Object.entries(state.slack)) {
    if (remove) form.set(`slack.${kind}.change`, "remove");
    else if (url.trim()) {
      form.set(`slack.${kind}.change`, "set");
      form.set(`slack.${kind}.url`, url.trim());
    } else form.set(`slack.${kind}.change`, "keep");
  }
  form.set("orderStatus.enabled", String(state.orderStatusEnabled));
  for (const field of state.orderStatusFields) form.append("orderStatus.sharedFields", field);
  return form;
}

export const sameFormState = (a: SettingsFormState, b: SettingsFormState) => JSON.stringify(a) === JSON.stringify(b);
