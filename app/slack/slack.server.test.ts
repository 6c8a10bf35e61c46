import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSlackSender, SlackDeliveryError } from "./slack.server";

describe("the Slack sender outside the sandbox (production)", () => {
  let local: Server;
  let localUrl: string;
  let hits = 0;

  beforeAll(async () => {
    local = createServer((req, res) => {
      hits += 1;
      req.resume();
      res.end("ok");
    });
    await new Promise<void>((done) => local.listen(0, "127.0.0.1", done));
    localUrl = `http://127.0.0.1:${(local.address() as AddressInfo).port}/services/T000/B000/x`;
  });
  afterAll(() => new Promise<void>((done) => local.close(() => done())));

  it.each([
    () => localUrl,
    () => "http://[::1]:9/services/x",
    () => "https://169.254.169.254/services/x",
    () => "http://hooks.slack.com/services/x",
    () => "https://user:pass@hooks.slack.com/services/x",
    () => "https://hooks.slack.com/api/other",
  ])("refuses a URL that is not Slack's incoming-webhook host, without sending (%#)", async (url) => {
    const send = createSlackSender({ allowLocalReceiver: false });
    const error = await send(url(), { text: "hi" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SlackDeliveryError);
    expect((error as SlackDeliveryError).permanent).toBe(true);
    expect((error as SlackDeliveryError).message).toBe("The Slack URL is not a Slack incoming-webhook URL (https://hooks.slack.com/services/…), so nothing was sent.");
    expect(hits).toBe(0);
  });

  it("reaches the local receiver only when the sandbox allows it", async () => {
    await expect(createSlackSender({ allowLocalReceiver: true })(localUrl, { text: "hi" })).resolves.toEqual({ status: 200 });
    expect(hits).toBe(1);
  });
});
