import { z } from "zod";
import { ORDER_COMMAND_KINDS, type OrderCommandSettings } from "../models/order-commands.server";
import type { FieldErrors, Parsed } from "./settings-validation.server";

/**
 * The "Order actions from the inbox" form, checked at the edge like the rest of the settings page:
 * each problem is a sentence a merchant can act on, keyed by the form field it is about.
 */

export const ORDER_COMMAND_FIELDS = {
  enabled: "orderCommands.enabled",
  agents: "orderCommands.agents",
  maxRefund: "orderCommands.maxRefund",
  maxDiscountPercent: "orderCommands.maxDiscountPercent",
  notifyCustomer: "orderCommands.notifyCustomer",
} as const;

const AGENT_ID = /^[A-Za-z0-9_.:-]{1,64}$/;

const list = (value: unknown) =>
  String(value ?? "")
    .split(/[\n,]/)
    .map((item) => item.trim())
    .filter(Boolean);

const Schema = z
  .object({
    enabledCommands: z.array(z.enum(ORDER_COMMAND_KINDS, { error: "Choose from the order actions listed." })),
    allowedAgentIds: z
      .array(z.string())
      .max(50, "At most 50 agents can use order actions.")
      .superRefine((agents, ctx) => {
        const bad = agents.find((a) => !AGENT_ID.test(a));
        if (bad) ctx.addIssue({ code: "custom", message: `“${bad.slice(0, 30)}” is not an Oscar agent id (letters, digits, “-” or “_”).` });
        const twice = agents.find((a, i) => agents.indexOf(a) !== i);
        if (twice) ctx.addIssue({ code: "custom", message: `“${twice}” is listed twice; list each agent once.` });
      }),
    maxRefundAmount: z
      .string()
      .trim()
      .refine((v) => v === "" || /^-/.test(v) || /^\d+(\.\d{1,2})?$/.test(v), "Enter the largest refund as an amount, such as 50 or 49.99.")
      .refine((v) => !/^-/.test(v), "The largest refund can't be negative.")
      .refine((v) => v === "" || Number(v) > 0, "Enter a largest refund above zero, or turn refunds off.")
      .refine((v) => v === "" || Number(v) < 1_000_000, "Enter a largest refund below one million.")
      // Stored with two decimals, the way the preview will show it next to the currency.
      .transform((v) => (v === "" ? null : Number(v).toFixed(2))),
    maxDiscountPercent: z
      .string()
      .trim()
      .refine((v) => v === "" || /^\d{1,3}$/.test(v), "Enter the largest discount as a whole percentage, such as 10.")
      .transform((v) => (v === "" ? null : Number(v)))
      .refine((n) => n === null || (n >= 1 && n <= 100), "A discount is between 1 and 100 percent."),
    notifyCustomer: z.boolean(),
  })
  .superRefine((s, ctx) => {
    if (s.enabledCommands.length > 0 && s.allowedAgentIds.length === 0) {
      ctx.addIssue({ code: "custom", path: ["allowedAgentIds"], message: "Choose at least one agent who may use order actions, or turn every action off." });
    }
    if (s.enabledCommands.includes("refund") && s.maxRefundAmount === null) {
      ctx.addIssue({ code: "custom", path: ["maxRefundAmount"], message: "Enter the largest refund an agent may give, such as 50." });
    }
    if (s.enabledCommands.includes("discount") && s.maxDiscountPercent === null) {
      ctx.addIssue({ code: "custom", path: ["maxDiscountPercent"], message: "Enter the largest discount an agent may give, such as 10 (percent)." });
    }
  }) satisfies z.ZodType<OrderCommandSettings, unknown>;

const FIELD_OF: Record<string, string> = {
  enabledCommands: ORDER_COMMAND_FIELDS.enabled,
  allowedAgentIds: ORDER_COMMAND_FIELDS.agents,
  maxRefundAmount: ORDER_COMMAND_FIELDS.maxRefund,
  maxDiscountPercent: ORDER_COMMAND_FIELDS.maxDiscountPercent,
  notifyCustomer: ORDER_COMMAND_FIELDS.notifyCustomer,
};

/** Reads the order actions form; every field's first problem, keyed by its form name. */
export function parseOrderCommandSettingsForm(form: FormData): Parsed<OrderCommandSettings> {
  const parsed = Schema.safeParse({
    enabledCommands: form.getAll(ORDER_COMMAND_FIELDS.enabled).map(String),
    allowedAgentIds: list(form.get(ORDER_COMMAND_FIELDS.agents)),
    maxRefundAmount: String(form.get(ORDER_COMMAND_FIELDS.maxRefund) ?? ""),
    maxDiscountPercent: String(form.get(ORDER_COMMAND_FIELDS.maxDiscountPercent) ?? ""),
    notifyCustomer: form.get(ORDER_COMMAND_FIELDS.notifyCustomer) === "true",
  });
  if (parsed.success) {
    // Kept in the order the page lists them, once each, whatever order the form sent.
    const enabled = ORDER_COMMAND_KINDS.filter((kind) => parsed.data.enabledCommands.includes(kind));
    return { success: true, data: { ...parsed.data, enabledCommands: enabled } };
  }
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) errors[FIELD_OF[String(issue.path[0])] ?? ORDER_COMMAND_FIELDS.enabled] ??= issue.message;
  return { success: false, errors };
}
