import { Agent, request } from "node:http";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startAppStack, type AppStack } from "./harness/app-stack";

/**
 * A deploy's SIGTERM: the web process answers what it already received and then ends, even with a
 * load balancer's keep-alive connections open (the server keeps idle ones 65 s, so without care a
 * stopping process would linger that long).
 */
describe("stopping the web process", () => {
  let stack: AppStack;
  beforeEach(async () => {
    stack = await startAppStack({ label: "web-shutdown" });
  });
  afterEach(async () => {
    await stack?.close();
  });

  const get = (agent: Agent, path: string) =>
    new Promise<number>((resolve, reject) => {
      request(`${stack.appUrl}${path}`, { agent }, (response) => {
        response.resume();
        response.on("end", () => resolve(response.statusCode ?? 0));
      }).on("error", reject).end();
    });

  it("answers a request that was arriving at SIGTERM, then ends though its connection is kept alive", async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 4 });
    expect(await get(agent, "/healthz")).toBe(200);
    // A Shopify webhook whose body is still arriving when the deploy's SIGTERM comes. The server's
    // "100 Continue" says it has read the request's headers: the request is in flight, not idle.
    let finishBody!: () => void;
    let headersRead!: () => void;
    const inFlight = new Promise<void>((resolve) => (headersRead = resolve));
    const answered = new Promise<number>((resolve, reject) => {
      const slow = request(`${stack.appUrl}/webhooks/app/uninstalled`, { method: "POST", agent, headers: { "content-type": "application/json", expect: "100-continue" } }, (response) => {
        response.resume();
        response.on("end", () => resolve(response.statusCode ?? 0));
      });
      slow.on("error", reject);
      slow.on("continue", () => {
        slow.write('{"id":');
        headersRead();
      });
      finishBody = () => slow.end("1}");
      slow.flushHeaders();
    });
    await inFlight;
    const stopped = Date.now();
    const exit = stack.app.stop("SIGTERM");
    // The rest of the body arrives only once the process is stopping.
    await stack.app.waitForOutput(/web process stopping/);
    finishBody();
    // Without Shopify's headers it is refused, but answered: the request was not cut off.
    expect(await answered).toBe(400);
    const { code, signal } = await exit;
    agent.destroy();
    expect(code ?? signal).toBe(0);
    expect(Date.now() - stopped).toBeLessThan(5_000);
  });

  it("ends within a couple of seconds of SIGTERM with idle keep-alive connections open", async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 4 });
    // Four connections, each kept alive after its request, as a balancer keeps them.
    expect(await Promise.all([1, 2, 3, 4].map(() => get(agent, "/healthz")))).toEqual([200, 200, 200, 200]);
    const stopped = Date.now();
    const exit = await stack.app.stop("SIGTERM");
    const took = Date.now() - stopped;
    agent.destroy();
    expect(exit.code ?? exit.signal).toBe(0);
    expect(took).toBeLessThan(5_000);
  });
});
