import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installShop, startAppStack, TEST_SHOP, type AppStack } from "../harness/app-stack";
import { postForm, SETTINGS } from "../settings/admin-requests";

/**
 * "Send test message" makes the server POST to a URL a merchant typed. It must not be turned into a
 * way to reach other hosts (a redirect), nor a way to read them (echoing what the far end answered).
 */

type Recorder = { url: string; hits: string[]; server: Server };

async function startRecorder(answer: (path: string) => { status: number; headers?: Record<string, string>; body: string }): Promise<Recorder> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(req.url ?? "/");
    req.resume();
    req.on("end", () => {
      const { status, headers = {}, body } = answer(req.url ?? "/");
      res.writeHead(status, { "Content-Type": "text/plain", ...headers }).end(body);
    });
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits, server };
}

const INTERNAL_SECRET = "internal-admin-page: db password hunter2";
const REDIRECT_SENTENCE = "The Slack URL answered 302 with a redirect, which the app does not follow: use the incoming-webhook URL exactly as Slack shows it.";

describe("Slack test messages from the built server", () => {
  let stack: AppStack;
  let internal: Recorder;
  let redirector: Recorder;
  let talkative: Recorder;

  beforeAll(async () => {
    // What a redirect would reach: a host inside the network that answers with something private.
    internal = await startRecorder(() => ({ status: 200, body: INTERNAL_SECRET }));
    redirector = await startRecorder(() => ({ status: 302, headers: { Location: `${internal.url}/services/T000/B000/inside` }, body: "moved" }));
    talkative = await startRecorder((path) => ({ status: path.includes("fail") ? 500 : 200, body: INTERNAL_SECRET }));
    stack = await startAppStack({ label: "outbound-requests" });
    await installShop(stack);
  });
  afterAll(async () => {
    await stack?.close();
    for (const r of [internal, redirector, talkative]) await new Promise((done) => r?.server.close(done));
  });

  const sendTest = (url: string) => postForm(stack, TEST_SHOP, SETTINGS.path, SETTINGS.id, { intent: "test-slack", kind: "urgent", url });

  it("does not follow a redirect, and says so in one sentence", async () => {
    const answer = await sendTest(`${redirector.url}/services/T000/B000/redirecting`);
    expect(answer.status).toBe(422);
    expect(answer.body.message).toBe(REDIRECT_SENTENCE);
    expect(redirector.hits).toEqual(["/services/T000/B000/redirecting"]);
    expect(internal.hits).toEqual([]);
  });

  it("reports only the status, never what the far end answered", async () => {
    const delivered = await sendTest(`${talkative.url}/services/T000/B000/ok`);
    expect(delivered.body.message).toBe("Slack answered 200: the test message was delivered.");
    const failed = await sendTest(`${talkative.url}/services/T000/B000/fail`);
    expect(failed.body.message).toBe("Slack answered 500.");
    for (const answer of [delivered, failed]) expect(answer.text).not.toContain("hunter2");
  });

  it.each(["http://10.0.0.9/services/T000/B000/x", "http://169.254.169.254/latest/meta-data", "https://hooks.slack.com.example.net/services/x", "https://hooks.slack.com:8443/services/x"])(
    "refuses %s before sending anything, even in test mode",
    async (url) => {
      const answer = await sendTest(url);
      expect(answer.status).toBe(400);
      expect(answer.body.message).toBe("Enter a Slack incoming-webhook URL: it starts with https://hooks.slack.com/services/.");
    },
  );
});
