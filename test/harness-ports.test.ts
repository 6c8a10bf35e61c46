import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { describe, expect, it } from "vitest";
import { freePort } from "./harness/ports";

// The harness hands these ports to child processes that bind them a moment later; an outgoing
// connection taking one in between killed a CI run with EADDRINUSE (test/harness/ports.ts says why).
describe("freePort", () => {
  const ephemeralLow = Number(readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/)[0]);

  it("gives distinct ports below the range the OS gives outgoing connections", async () => {
    const ports = [];
    for (let i = 0; i < 20; i++) ports.push(await freePort());
    expect(new Set(ports).size).toBe(20);
    for (const port of ports) expect(port).toBeLessThan(ephemeralLow);
    for (const port of ports) expect(port).toBeGreaterThanOrEqual(10_000);
  });

  it("skips a port a server is already listening on", async () => {
    // The harness walks its slice one port at a time: hold the two ports after the last one it gave.
    const last = await freePort();
    const held = await Promise.all([last + 1, last + 2].map((port) => new Promise<Server>((resolve, reject) => {
      const server = createServer();
      server.once("error", reject).listen(port, "127.0.0.1", () => resolve(server));
    })));
    try {
      const port = await freePort();
      expect([last + 1, last + 2]).not.toContain(port);
      const server = createServer();
      await new Promise<void>((resolve, reject) => server.once("error", reject).listen(port, "127.0.0.1", resolve));
      await new Promise((resolve) => server.close(resolve));
    } finally {
      await Promise.all(held.map((s) => new Promise((resolve) => s.close(resolve))));
    }
  });
});
