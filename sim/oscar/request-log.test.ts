import { describe, expect, it } from "vitest";
import { maxInAnyWindow, minInAnyWindow } from "./request-log";

describe("counting requests in rolling windows", () => {
  // One request every 100 ms from 0 to 2,000 ms, then a gap, then 2,600 and 2,700.
  const steady = [...Array.from({ length: 21 }, (_, i) => i * 100), 2_600, 2_700];

  it("finds the busiest window, half-open at its end", () => {
    expect(maxInAnyWindow(steady, 1_000)).toBe(10);
    expect(maxInAnyWindow([0, 0, 0, 999, 1_000], 1_000)).toBe(4);
  });

  it("finds the quietest window among those starting in the given span, including right after a request leaves", () => {
    // Windows starting 0..1,000 hold 10 each ([0, 1000) holds 0..900); the one starting at 1,001 holds 1,100..2,000 = 10;
    // from 1,101 on, the gap shows: [1,601, 2,601) holds 1,700..2,000 and 2,600 = 5.
    expect(minInAnyWindow(steady, 1_000, 0, 1_000)).toBe(10);
    expect(minInAnyWindow(steady, 1_000, 0, 1_601)).toBe(5);
    expect(minInAnyWindow(steady, 1_000, 1_700, 1_700)).toBe(5);
    expect(minInAnyWindow([], 1_000, 0, 10)).toBe(0);
  });
});
