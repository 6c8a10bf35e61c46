import { describe, expect, it } from "vitest";
import { accessLogPath } from "./access-log.server";

const KEY = "k3yK3yk3yK3yk3yK3y";

describe("the access log's path", () => {
  it.each([
    `/webhooks/oscar/${KEY}`,
    `/webhooks/oscar/${KEY}/`,
    `/Webhooks/OSCAR/${KEY}`,
    `//webhooks//oscar/${KEY}`,
    `/%77ebhooks/oscar/${KEY}`,
    `/app/../webhooks/oscar/${KEY}`,
  ])("masks the ingest key in %s", (path) => {
    expect(accessLogPath(path)).toBe("/webhooks/oscar/[ingest key]");
    expect(accessLogPath(path)).not.toContain(KEY);
  });

  it.each(["/app/settings", "/webhooks/orders/create", "/healthz", "/%zz"])("keeps %s as it is", (path) => {
    expect(accessLogPath(path)).toBe(path);
  });
});
