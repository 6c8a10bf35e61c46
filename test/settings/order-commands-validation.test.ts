import { describe, expect, it } from "vitest";
import { parseOrderCommandSettingsForm } from "../../app/services/order-command-settings-validation.server";

/** The order actions form as the settings page submits it. */
function form(fields: Record<string, string | string[]>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) for (const v of [value].flat()) data.append(name, v);
  return data;
}

const valid = {
  "orderCommands.enabled": ["refund", "cancel"],
  "orderCommands.agents": "agent_1\nagent_2",
  "orderCommands.maxRefund": "50",
  "orderCommands.maxDiscountPercent": "",
  "orderCommands.notifyCustomer": "true",
};

describe("the order actions form", () => {
  it("reads a valid form: commands in the page's order, agents one per line, the refund limit with two decimals", () => {
    expect(parseOrderCommandSettingsForm(form(valid))).toEqual({
      success: true,
      data: { enabledCommands: ["cancel", "refund"], allowedAgentIds: ["agent_1", "agent_2"], maxRefundAmount: "50.00", maxDiscountPercent: null, notifyCustomer: true },
    });
  });

  it("keeps everything off when nothing is ticked, with no agent and no limits", () => {
    const parsed = parseOrderCommandSettingsForm(form({ "orderCommands.agents": "", "orderCommands.maxRefund": "", "orderCommands.maxDiscountPercent": "", "orderCommands.notifyCustomer": "false" }));
    expect(parsed).toEqual({ success: true, data: { enabledCommands: [], allowedAgentIds: [], maxRefundAmount: null, maxDiscountPercent: null, notifyCustomer: false } });
  });

  it.each([
    [{ "orderCommands.agents": "" }, "orderCommands.agents", "Choose at least one agent who may use order actions, or turn every action off."],
    [{ "orderCommands.maxRefund": "" }, "orderCommands.maxRefund", "Enter the largest refund an agent may give, such as 50."],
    [{ "orderCommands.maxRefund": "-5" }, "orderCommands.maxRefund", "The largest refund can't be negative."],
    [{ "orderCommands.maxRefund": "12.345" }, "orderCommands.maxRefund", "Enter the largest refund as an amount, such as 50 or 49.99."],
    [{ "orderCommands.maxRefund": "0" }, "orderCommands.maxRefund", "Enter a largest refund above zero, or turn refunds off."],
    [{ "orderCommands.maxRefund": "2000000" }, "orderCommands.maxRefund", "Enter a largest refund below one million."],
    [{ "orderCommands.enabled": ["discount"], "orderCommands.maxDiscountPercent": "" }, "orderCommands.maxDiscountPercent", "Enter the largest discount an agent may give, such as 10 (percent)."],
    [{ "orderCommands.enabled": ["discount"], "orderCommands.maxDiscountPercent": "150" }, "orderCommands.maxDiscountPercent", "A discount is between 1 and 100 percent."],
    [{ "orderCommands.maxDiscountPercent": "7.5" }, "orderCommands.maxDiscountPercent", "Enter the largest discount as a whole percentage, such as 10."],
    [{ "orderCommands.agents": "agent_1\nagent 2" }, "orderCommands.agents", "“agent 2” is not an Oscar agent id (letters, digits, “-” or “_”)."],
    [{ "orderCommands.agents": "agent_1, agent_1" }, "orderCommands.agents", "“agent_1” is listed twice; list each agent once."],
    [{ "orderCommands.enabled": ["refund", "teleport"] }, "orderCommands.enabled", "Choose from the order actions listed."],
  ])("refuses %o with a sentence under its field", (change, field, sentence) => {
    const parsed = parseOrderCommandSettingsForm(form({ ...valid, ...change }));
    expect(parsed.success).toBe(false);
    if (!parsed.success) expect(parsed.errors[field]).toBe(sentence);
  });
});
