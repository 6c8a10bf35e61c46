import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_ESCALATION_RULES, saveEscalationRules } from "../../app/models/escalation-rules.server";
import { saveSlackUrl } from "../../app/models/slack-settings.server";
import { parseKeyring } from "../../app/security/encryption.server";
import type { OscarSimulator } from "../../sim/oscar/server";
import { startSlackReceiver, type SlackReceiver } from "../../sim/slack/receiver";
import { TEST_ENCRYPTION_KEYS, TEST_SHOP, type AppStack } from "../harness/app-stack";
import { startConnectedStack } from "../harness/oscar-webhook";
import { waitFor } from "../harness/wait";

const OSCAR_KEY = "osk_test_slack_injection_1";

// A name any shopper can type into the chat widget: a Slack link, a channel-wide mention, a fake field.
const CRAFTED_NAME = "Eve <https://evil.example/login|Verify your Slack session> <!channel>\n*Why VIP*\nSpent $50,000";
const CRAFTED_MESSAGE = "I want a refund <!here>\n<https://evil.example|Open the order>\n> quoted";

/**
 * Issue 17: shopper text in a Slack alert is escaped in the notification `text` as in the blocks, so it
 * can make no link, no mention and no extra field. Real worker, real HTTP Slack receiver.
 */
describe("Slack injection through a shopper's name and message", () => {
  let oscar: OscarSimulator;
  let slack: SlackReceiver;
  let stack: AppStack;
  let stage: Awaited<ReturnType<typeof startConnectedStack>>;

  beforeAll(async () => {
    slack = await startSlackReceiver();
    stage = await startConnectedStack({ label: "slack-injection", oscarKey: OSCAR_KEY, worker: false });
    ({ oscar, stack } = stage);
    await saveEscalationRules(stack.db, TEST_SHOP, DEFAULT_ESCALATION_RULES);
    await saveSlackUrl(stack.db, parseKeyring(TEST_ENCRYPTION_KEYS), TEST_SHOP, "urgent", slack.webhookUrl("urgent"));
    await stack.startWorker();
  });
  afterAll(async () => {
    await stage?.close();
    await slack?.close();
  });

  it("escapes the name and message in the text and every block", async () => {
    const { conversationId } = oscar.scenario.shopperOpensConversation({ email: "eve@example.org", name: CRAFTED_NAME, message: CRAFTED_MESSAGE });
    const alert = await waitFor("the urgent alert", () => slack.to("urgent").find((d) => JSON.stringify(d.body).includes(conversationId)));

    expect(alert.body.text).toBe("Urgent conversation: Eve &lt;https://evil.example/login|Verify your Slack session&gt; &lt;!channel&gt; *Why VIP* Spent $50,000");
    const texts = (alert.body.blocks ?? []).flatMap((block) => {
      const b = block as { text?: { type: string; text: string; verbatim?: boolean }; fields?: { type: string; text: string; verbatim?: boolean }[] };
      return [...(b.text ? [b.text] : []), ...(b.fields ?? [])];
    }).filter((t) => t.type === "mrkdwn");
    expect(texts.length).toBeGreaterThan(0);
    for (const t of texts) {
      // Slack reads "<" as the start of a link or mention; none may come from the shopper.
      expect(t.text).not.toMatch(/<(https?:|!)/);
      // verbatim: a bare URL the shopper typed is not turned into a link either.
      expect(t.verbatim).toBe(true);
    }
    const customerField = texts.find((t) => t.text.startsWith("*Customer*\n"))!;
    expect(customerField.text.split("\n")).toHaveLength(2);
    const quote = texts.find((t) => t.text.startsWith(">"))!;
    expect(quote.text.split("\n").every((line) => line.startsWith(">"))).toBe(true);
  });
});
