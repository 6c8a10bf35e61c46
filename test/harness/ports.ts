import { readFileSync } from "node:fs";
import { createServer } from "node:net";

/**
 * A TCP port for a server this harness starts a moment later, often in a child process.
 *
 * Why not the OS's port 0: on Linux, ports for `listen(0)` and the source ports of outgoing
 * connections come from the same ephemeral range (`net.ipv4.ip_local_port_range`, 32768-60999 by
 * default). Between finding such a port free and the child binding it, any outgoing connection on the
 * machine can take it as its source port. The suite makes thousands of connections, and the child
 * then dies with EADDRINUSE. CI hit exactly this on 2026-12-07 (port 45627, test/oscar-webhooks).
 *
 * So ports come from below the ephemeral range, where the kernel never picks one by itself. Each
 * vitest worker (`VITEST_POOL_ID`) owns its own slice, so two test files running at once never pick
 * the same port. Each port is bound once here, which skips one that a leftover server still holds.
 */
const LOWEST = 10_000;
const SLICES = 16;

function ephemeralLow(): number {
  try {
    const [low] = readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/).map(Number);
    return Number.isInteger(low) && low > 0 ? low : 32_768;
  } catch {
    return 32_768; // Not Linux: Linux's default is the safest guess.
  }
}

const sliceSize = Math.floor((ephemeralLow() - LOWEST) / SLICES);
const slice = Number(process.env.VITEST_POOL_ID ?? 0) % SLICES;
// A random start inside the slice, so processes outside vitest (benches, the sandbox) and the second
// pass of `npm test` (PostgreSQL) rarely walk the same ports as one another.
let next = sliceSize > 0 ? Math.floor(Math.random() * sliceSize) : 0;

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

function osPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A TCP port nobody is listening on, outside the range the OS gives outgoing connections. */
export async function freePort(): Promise<number> {
  if (sliceSize < 100) return osPort(); // An unusual ephemeral range leaves no room below it.
  for (let tries = 0; tries < sliceSize; tries++) {
    const port = LOWEST + slice * sliceSize + (next++ % sliceSize);
    if (await bindable(port)) return port;
  }
  throw new Error(`no free port in ${LOWEST + slice * sliceSize}-${LOWEST + (slice + 1) * sliceSize - 1}`);
}
