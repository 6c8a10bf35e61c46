import { describe, expect, it } from "vitest";
import { parseSettingsForm } from "../../app/services/settings-validation.server";

function form(fields: Record<string, string | string[]>) {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) for (const v of [value].flat()) data.append(name, v);
  return data;
}

const valid = {
  urgentKeywords: " refund ,\n\ncancel subscription\n",
  urgentAgentId: "",
  urgentLabel: " urgent ",
  vipTotalSpent: "499.99",
  vipCustomerTags: "VIP,  Gold member ,",
  vipAgentId: "",
  vipLabel: "vip",
  botEscalationAgents: "",
  "orderStatus.enabled": "false",
};

describe("reading the settings form", () => {
  it("reads lists typed one per line or comma-separated, trims, and treats empty agent ids as none", () => {
    const parsed = parseSettingsForm(form(valid), { allowLoopbackSlack: false });
    expect(parsed).toEqual({
      success: true,
      data: {
        widgetId: undefined,
        rules: {
          urgentKeywords: ["refund", "cancel subscription"],
          urgentAgentId: null,
          urgentLabel: "urgent",
          vipTotalSpent: 499.99,
          vipCustomerTags: ["VIP", "Gold member"],
          vipAgentId: null,
          vipLabel: "vip",
          botEscalationAgents: [],
        },
        slack: { urgent: { change: "keep" }, vip: { change: "keep" }, botEscalation: { change: "keep" }, report: { change: "keep" } },
        orderStatus: { enabled: false, sharedFields: [] },
      },
    });
  });

  it("accepts only Slack's own webhook host, and a local receiver only outside production", () => {
    const slack = (url: string) => form({ ...valid, "slack.urgent.change": "set", "slack.urgent.url": url });
    const ok = parseSettingsForm(slack("https://hooks.slack.com/services/T0/B0/xyz"), { allowLoopbackSlack: false });
    expect(ok.success && ok.data.slack.urgent).toEqual({ change: "set", url: "https://hooks.slack.com/services/T0/B0/xyz" });

    for (const url of ["http://hooks.slack.com/services/T0/B0/xyz", "https://hooks.slack.com.evil.example/services/x", "https://hooks.slack.com/api/x", "not a url"]) {
      const refused = parseSettingsForm(slack(url), { allowLoopbackSlack: true });
      expect(refused.success ? null : refused.errors["slack.urgent"], url).toBe("Enter a Slack incoming-webhook URL: it starts with https://hooks.slack.com/services/.");
    }
    expect(parseSettingsForm(slack("http://127.0.0.1:4300/services/T000/urgent"), { allowLoopbackSlack: true }).success).toBe(true);
    expect(parseSettingsForm(slack("http://127.0.0.1:4300/services/T000/urgent"), { allowLoopbackSlack: false }).success).toBe(false);
  });

  it("removes a Slack URL on request, and refuses order data it does not know", () => {
    const removed = parseSettingsForm(form({ ...valid, "slack.vip.change": "remove" }), { allowLoopbackSlack: false });
    expect(removed.success && removed.data.slack.vip).toEqual({ change: "remove" });

    const unknown = parseSettingsForm(form({ ...valid, "orderStatus.enabled": "true", "orderStatus.sharedFields": ["status", "payment_card"] }), {
      allowLoopbackSlack: false,
    });
    expect(unknown.success ? null : unknown.errors).toEqual({ "orderStatus.sharedFields": "Choose from the kinds of order information listed." });
  });
});
