import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EncryptedSessionStorage } from "../app/security/encrypted-session-storage.server";
import { startOscarSimulator, type OscarSimulator } from "../sim/oscar/server";
import { startSlackReceiver, type SlackReceiver } from "../sim/slack/receiver";
import { installShop, startAppStack, TEST_SHOP, type AppStack } from "./harness/app-stack";
import { databaseBytes, dumpRedis, openQueues, openSealedValues, plainTextHits, waitForQueuesIdle } from "./harness/stored-data";
import { connectShopToOscar, runSupportScenario, SCENARIO_MESSAGES, testKeyring } from "./harness/support-scenario";
import { waitFor } from "./harness/wait";

const OSCAR_KEY = "osk_data_at_rest_merchant_key_7731";

describe("data at rest after a day of support", () => {
  let oscar: OscarSimulator;
  let slack: SlackReceiver;
  let stack: AppStack;
  let emails: string[];
  let names: string[];

  beforeAll(async () => {
    oscar = await startOscarSimulator({ apiKeys: [OSCAR_KEY] });
    slack = await startSlackReceiver();
    stack = await startAppStack({ label: "data-at-rest", extraEnv: { OSCAR_API_BASE: oscar.baseUrl } });
    await installShop(stack);
    await connectShopToOscar(stack, oscar, slack, TEST_SHOP, OSCAR_KEY);
    await stack.startWorker();

    const scenario = await runSupportScenario(stack, oscar, TEST_SHOP, OSCAR_KEY);
    await waitForQueuesIdle(stack);
    // One more shopper whose enrichment Oscar refuses: the job ends in the failed set, with its reason.
    const sofia = stack.fakeAdmin.store(TEST_SHOP).customers[2];
    oscar.setFaults({ script: [{ kind: "status", status: 422 }] });
    oscar.scenario.shopperOpensConversation({ workspaceId: oscar.accountFor(OSCAR_KEY).workspaceId, email: sofia.email, name: sofia.displayName });
    const { queues, close } = openQueues(stack);
    await waitFor("the refused enrichment in the failed set", async () => (await Promise.all(queues.map((q) => q.getFailedCount()))).some((n) => n > 0));
    await close();
    oscar.setFaults({});
    await waitForQueuesIdle(stack);

    emails = [scenario.maya.email, scenario.liam.email, sofia.email];
    names = [scenario.maya.name, scenario.liam.name, sofia.displayName];
  });

  afterAll(async () => {
    await stack?.close();
    await oscar?.close();
    await slack?.close();
  });

  it("keeps the Oscar key, the session's tokens, Slack URLs and shoppers' emails, names and words out of the database file", async () => {
    // The tokens as the app reads them (the live ones the worker used all day), looked for in the stored bytes.
    const [session] = await new EncryptedSessionStorage(new PrismaSessionStorage(stack.db), testKeyring()).findSessionsByShop(TEST_SHOP);
    const tokens = [session.accessToken!, session.refreshToken].filter((t): t is string => Boolean(t));
    expect(tokens[0]).toMatch(/^shpat_/);
    const slackUrls = (["urgent", "vip", "botEscalation"] as const).map((kind) => slack.webhookUrl(kind));
    const bytes = databaseBytes(stack);
    for (const secret of [OSCAR_KEY, ...tokens, ...slackUrls, ...emails, ...names, ...SCENARIO_MESSAGES]) expect(bytes.includes(secret), secret).toBe(false);
  });

  it("keeps them out of every Redis key and value too, and holds them only inside encrypted fields", async () => {
    const entries = await dumpRedis(stack);
    // The scenario really left data behind: queued events, a failed job, the customer cache.
    expect(entries.some((e) => e.key.endsWith(":oscar-events:failed"))).toBe(true);
    expect(entries.some((e) => e.key.includes(":customer-cache:"))).toBe(true);
    expect(plainTextHits(entries, [OSCAR_KEY, ...emails, ...names, ...SCENARIO_MESSAGES])).toEqual([]);

    // What is encrypted is where the emails went: the check above looked at real data.
    const opened = openSealedValues(entries, testKeyring(), [TEST_SHOP]).map((o) => o.plaintext).join("\n");
    for (const email of emails) expect(opened).toContain(email);
  });
});
