import { describe, expect, it } from "vitest";
import { isInternalHost, isLoopbackHost } from "./network-address";

const hostOf = (url: string) => new URL(url).hostname;

describe("network addresses", () => {
  it.each([
    "http://127.0.0.1:3000", "http://127.9.8.7", "http://localhost:3000", "http://[::1]:3000", "http://app.localhost",
    "http://2130706433/", "http://0x7f000001/", "http://[::ffff:127.0.0.1]/",
  ])("%s is loopback", (url) => {
    expect(isLoopbackHost(hostOf(url))).toBe(true);
    expect(isInternalHost(hostOf(url))).toBe(true);
  });

  it.each([
    "http://10.0.0.5", "http://172.16.0.1", "http://172.31.255.255", "http://192.168.1.1", "http://169.254.169.254/latest/meta-data",
    "http://100.64.0.1", "http://0.0.0.0", "http://[fd00::1]", "http://[fe80::1]", "http://[::ffff:10.0.0.1]", "http://[::]",
    "http://redis:6379", "http://metadata.google.internal", "http://printer.local", "http://192.168.1.1./",
  ])("%s is internal but not loopback", (url) => {
    expect(isInternalHost(hostOf(url))).toBe(true);
    expect(isLoopbackHost(hostOf(url))).toBe(false);
  });

  it.each([
    "https://api.oscarchat.ai/v1", "https://hooks.slack.com/services/T/B/x", "https://8.8.8.8", "https://172.32.0.1", "https://[2606:4700::1111]",
    "https://oscar-chat.example.com",
  ])("%s is public", (url) => {
    expect(isInternalHost(hostOf(url))).toBe(false);
    expect(isLoopbackHost(hostOf(url))).toBe(false);
  });
});
