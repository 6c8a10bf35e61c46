import { Redis } from "ioredis";
import { waitFor } from "./wait";

/**
 * Every command any client sent to Redis at `url` that names `prefix`, while `run` runs (Redis's own
 * MONITOR, so it sees the app's processes too). Use a Redis of the test's own (startOwnRedis): other
 * tests' traffic on the shared one is none of its business. A marker command sent after `run` proves
 * the monitor caught up before the list is returned.
 */
export async function redisCommandsDuring(url: string, prefix: string, run: () => Promise<unknown>): Promise<string[][]> {
  // monitor() opens a connection of its own; the client it was asked from is the probe.
  const probe = new Redis(url);
  const monitor = await probe.monitor();
  const seen: string[][] = [];
  monitor.on("monitor", (_time: string, args: string[]) => {
    if (args.some((arg) => arg.includes(prefix))) seen.push(args);
  });
  try {
    await run();
    const marker = `${prefix}:monitor-marker`;
    await probe.exists(marker);
    await waitFor("Redis MONITOR to catch up", () => seen.some((args) => args.includes(marker)));
    return seen.filter((args) => !args.includes(marker));
  } finally {
    monitor.disconnect();
    probe.disconnect();
  }
}
