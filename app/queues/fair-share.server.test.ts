import { describe, expect, it } from "vitest";
import { createFairShare } from "./fair-share.server";

const SECOND = 1_000;
/** The priorities of `count` events of `shop`, all at `at`. */
const burst = (share: ReturnType<typeof createFairShare>, shop: string, count: number, at: number) => Array.from({ length: count }, () => share.priorityFor(shop, at));

describe("a shop's fair share of the event queue", () => {
  it("queues a shop's events in the waiting list up to its share of the second, the rest in the slow lane", () => {
    const share = createFairShare({ perSecond: 3 });
    expect(burst(share, "flood.myshopify.com", 5, 10 * SECOND + 100)).toEqual([0, 0, 0, 1, 1]);
    // Another shop is not counted against the first.
    expect(burst(share, "quiet.myshopify.com", 3, 10 * SECOND + 200)).toEqual([0, 0, 0]);
  });

  it("keeps a shop that went over in one second in the slow lane for all of the next, then lets it back", () => {
    const share = createFairShare({ perSecond: 3 });
    burst(share, "flood.myshopify.com", 4, 10 * SECOND);
    expect(burst(share, "flood.myshopify.com", 2, 11 * SECOND + 10)).toEqual([1, 1]);
    // Under its share in second 11: second 12 starts in the waiting list again.
    expect(burst(share, "flood.myshopify.com", 4, 12 * SECOND)).toEqual([0, 0, 0, 1]);
    // A gap of a quiet second forgets the flood.
    expect(burst(share, "flood.myshopify.com", 1, 14 * SECOND)).toEqual([0]);
  });

  it("a shop exactly at its share stays in the waiting list", () => {
    const share = createFairShare({ perSecond: 3 });
    for (let second = 20; second < 25; second++) expect(burst(share, "steady.myshopify.com", 3, second * SECOND)).toEqual([0, 0, 0]);
  });

  it("remembers a bounded number of shops, forgetting the longest-quiet first", () => {
    const share = createFairShare({ perSecond: 1, maxShops: 2 });
    burst(share, "a.myshopify.com", 2, 30 * SECOND);
    burst(share, "b.myshopify.com", 2, 30 * SECOND);
    // a is active again in second 31 (and still in the slow lane); c's arrival forgets b, not a.
    expect(burst(share, "a.myshopify.com", 1, 31 * SECOND)).toEqual([1]);
    burst(share, "c.myshopify.com", 1, 31 * SECOND);
    expect(burst(share, "a.myshopify.com", 1, 31 * SECOND)).toEqual([1]);
    expect(burst(share, "b.myshopify.com", 1, 31 * SECOND)).toEqual([0]);
  });

  it("refuses a share that would send every event to the slow lane", () => {
    expect(() => createFairShare({ perSecond: 0 })).toThrow(RangeError);
  });
});
