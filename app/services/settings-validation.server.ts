import { isSlackWebhookUrl } from "../slack/slack-url";
import { z } from "zod";
import type { EscalationRules } from "../models/escalation-rules.server";
import { ORDER_DATA_KINDS, type OrderStatusSettings } from "../models/order-status-settings.server";
import { SLACK_ALERT_KINDS, type SlackAlertKind } from "../models/slack-settings.server";

/**
 * The admin's forms, checked at the edge. Every rule answers with a sentence a merchant can act on,
 * keyed by the form field it is about, so the page can show it under that field.
 */

export type FieldErrors = Record<string, string>;
export type Parsed<T> = { success: true; data: T } | { success: false; errors: FieldErrors };

/** A list typed one per line or separated by commas; blanks dropped. */
const list = (value: unknown) =>
  String(value ?? "")
    .split(/[\n,]/)
    .map((item) => item.trim())
    .filter(Boolean);

const AGENT_ID = /^[A-Za-z0-9_.:-]{1,64}$/;

const optionalAgentId = (role: string) =>
  z
    .string()
    .trim()
    .refine((v) => v === "" || AGENT_ID.test(v), `Enter the ${role} agent's id as Oscar shows it (letters, digits, “-” or “_”), or leave it empty.`)
    .transform((v) => (v === "" ? null : v));

const label = (example: string) =>
  z.string().trim().min(1, `Enter a label, such as ${example}.`).max(50, "A label can be at most 50 characters.");

export const API_KEY_FIELD = z
  .string({ error: "Paste your Oscar API key." })
  .trim()
  .min(1, "Paste your Oscar API key.")
  .max(512, "That is too long to be an Oscar API key; copy it again.")
  .regex(/^\S+$/, "An Oscar API key has no spaces; copy it again.");

export const WIDGET_ID_FIELD = z
  .string({ error: "Enter the widget id from Oscar." })
  .trim()
  .min(1, "Enter the widget id from Oscar.")
  .regex(/^[A-Za-z0-9_-]{1,64}$/, "A widget id is made of letters, digits, “-” and “_” (at most 64 characters).");

const EscalationRulesSchema = z.object({
  urgentKeywords: z
    .array(z.string())
    .max(50, "Use at most 50 urgent keywords.")
    .superRefine((keywords, ctx) => {
      const tooLong = keywords.find((k) => k.length > 60);
      if (tooLong) ctx.addIssue({ code: "custom", message: `Each urgent keyword can be at most 60 characters; shorten “${tooLong.slice(0, 20)}…”.` });
      const noWord = keywords.find((k) => !/[\p{L}\p{N}]/u.test(k));
      if (noWord) ctx.addIssue({ code: "custom", message: `“${noWord}” has no letters or digits, so no message could match it.` });
    }),
  urgentAgentId: optionalAgentId("urgent"),
  urgentLabel: label("urgent"),
  vipTotalSpent: z
    .string()
    .trim()
    .min(1, "Enter the amount a customer must have spent to count as VIP, such as 1000.")
    .refine((v) => /^\d+(\.\d{1,2})?$/.test(v) || /^-/.test(v), "Enter the amount as a number, such as 1000 or 499.99.")
    .refine((v) => !/^-/.test(v), "The amount can't be negative.")
    .transform(Number)
    .refine((n) => n <= 1_000_000_000, "Enter an amount below one billion."),
  // Shopify allows tags of up to 255 characters (https://help.shopify.com/en/manual/shopify-admin/productivity-tools/using-tags).
  vipCustomerTags: z
    .array(z.string().max(255, "Each customer tag can be at most 255 characters, as in Shopify."))
    .max(20, "Use at most 20 VIP customer tags."),
  vipAgentId: optionalAgentId("VIP"),
  vipLabel: label("vip"),
  botEscalationAgents: z
    .array(z.string())
    .max(20, "The round-robin pool can hold at most 20 agents.")
    .superRefine((agents, ctx) => {
      const bad = agents.find((a) => !AGENT_ID.test(a));
      if (bad) ctx.addIssue({ code: "custom", message: `“${bad.slice(0, 30)}” is not an Oscar agent id (letters, digits, “-” or “_”).` });
      const twice = agents.find((a, i) => agents.indexOf(a) !== i);
      if (twice) ctx.addIssue({ code: "custom", message: `The pool lists “${twice}” twice; list each agent once.` });
    }),
}) satisfies z.ZodType<EscalationRules, unknown>;

const SLACK_URL_SENTENCE = "Enter a Slack incoming-webhook URL: it starts with https://hooks.slack.com/services/.";

/** Slack URLs are secrets the app will POST to, so only Slack's own host is accepted (plus loopback outside production, for the sandbox). */
export function slackWebhookUrl(allowLoopback: boolean) {
  return z
    .string()
    .trim()
    .min(1, SLACK_URL_SENTENCE)
    .max(500, SLACK_URL_SENTENCE)
    .refine((value) => isSlackWebhookUrl(value, { allowLocalReceiver: allowLoopback }), SLACK_URL_SENTENCE);
}

export type SlackChange = { change: "keep" } | { change: "set"; url: string } | { change: "remove" };

const OrderStatusSchema = z
  .object({
    enabled: z.boolean(),
    sharedFields: z.array(z.enum(ORDER_DATA_KINDS, { error: "Choose from the kinds of order information listed." })),
  })
  .refine((s) => !s.enabled || s.sharedFields.length > 0, {
    message: "Choose at least one kind of order information the chat may share, or turn self-service off.",
    path: ["sharedFields"],
  }) satisfies z.ZodType<OrderStatusSettings, unknown>;

export type SettingsInput = {
  /** Absent when the merchant did not change it (or Oscar is not connected): the widget is left as it is. */
  widgetId?: string;
  rules: EscalationRules;
  slack: Record<SlackAlertKind, SlackChange>;
  orderStatus: OrderStatusSettings;
};

function firstErrors(error: z.ZodError, prefix = ""): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    // A list's item problems belong to the list's field ("vipCustomerTags", not "vipCustomerTags.0").
    const key = prefix + String(issue.path[0] ?? "");
    errors[key] ??= issue.message;
  }
  return errors;
}

/** Reads the settings page's form; every field's first problem, keyed by its form name. */
export function parseSettingsForm(form: FormData, { allowLoopbackSlack }: { allowLoopbackSlack: boolean }): Parsed<SettingsInput> {
  const errors: FieldErrors = {};
  const text = (name: string) => String(form.get(name) ?? "");

  let widgetId: string | undefined;
  if (form.has("widgetId")) {
    const parsed = WIDGET_ID_FIELD.safeParse(text("widgetId"));
    if (parsed.success) widgetId = parsed.data;
    else errors.widgetId = parsed.error.issues[0].message;
  }

  const rules = EscalationRulesSchema.safeParse({
    urgentKeywords: list(form.get("urgentKeywords")),
    urgentAgentId: text("urgentAgentId"),
    urgentLabel: text("urgentLabel"),
    vipTotalSpent: text("vipTotalSpent"),
    vipCustomerTags: list(form.get("vipCustomerTags")),
    vipAgentId: text("vipAgentId"),
    vipLabel: text("vipLabel"),
    botEscalationAgents: list(form.get("botEscalationAgents")),
  });
  if (!rules.success) Object.assign(errors, firstErrors(rules.error));

  const slackUrl = slackWebhookUrl(allowLoopbackSlack);
  const slack = {} as Record<SlackAlertKind, SlackChange>;
  for (const kind of SLACK_ALERT_KINDS) {
    const change = text(`slack.${kind}.change`) || "keep";
    if (change === "remove") slack[kind] = { change: "remove" };
    else if (change === "set") {
      const url = slackUrl.safeParse(text(`slack.${kind}.url`));
      if (url.success) slack[kind] = { change: "set", url: url.data };
      else errors[`slack.${kind}`] = url.error.issues[0].message;
    } else slack[kind] = { change: "keep" };
  }

  const orderStatus = OrderStatusSchema.safeParse({
    enabled: text("orderStatus.enabled") === "true",
    sharedFields: form.getAll("orderStatus.sharedFields").map(String),
  });
  if (!orderStatus.success) Object.assign(errors, firstErrors(orderStatus.error, "orderStatus."));

  if (Object.keys(errors).length > 0 || !rules.success || !orderStatus.success) return { success: false, errors };
  return { success: true, data: { widgetId, rules: rules.data, slack, orderStatus: orderStatus.data } };
}

/** One field parsed on its own (the connect, rotate and widget forms). */
export function parseField<T>(schema: z.ZodType<T>, name: string, value: FormDataEntryValue | null): Parsed<T> {
  const parsed = schema.safeParse(value === null ? undefined : String(value));
  return parsed.success ? { success: true, data: parsed.data } : { success: false, errors: { [name]: parsed.error.issues[0].message } };
}
