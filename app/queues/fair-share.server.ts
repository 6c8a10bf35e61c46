/**
 * Keeps one shop's flood of Oscar events from holding up every other shop's conversations.
 *
 * All shops share one queue, and BullMQ hands out a queue's waiting jobs first in, first out: a shop
 * sending 200 events a second (an agent closing conversations in bulk, an import) left a backlog
 * that every other shop's new conversation waited behind, up to 12 s from opening to its note
 * (test/reliability/scale-out.ts, before this). So a shop's events beyond its fair share go to
 * BullMQ's prioritized lane instead of the waiting list. Workers take the waiting list first and the
 * prioritized lane whenever the waiting list is empty, so nothing is throttled or dropped: a flooding
 * shop gets every slot the other shops leave free, and only waits when they have work.
 *
 * A shop's share is `perSecond` events in each second, counted by this web process (with N web
 * processes behind a balancer, N times that). A shop over its share in one second stays in the slow
 * lane for the whole next second, so a steady flood is not split at every second's start, which
 * would reorder its own events each time; the handlers accept events out of order (Oscar itself
 * delivers them so), but fewer switches keep a flood's events close to their arrival order.
 */

/** BullMQ's priority for an event: 0 is the waiting list (first come, first served), 1 the slow lane. */
export type FairShare = { priorityFor(shop: string, nowMs: number): 0 | 1 };

/**
 * 20 a second per web process: a busy store's chats (hundreds at once, a message each every few
 * seconds) stay under it; a bulk action or a misbehaving integration does not.
 */
export const FAIR_SHARE_PER_SECOND = 20;

/** How many shops' counts are kept: beyond it, the longest-quiet are forgotten (they were under their share). */
const MAX_SHOPS_TRACKED = 10_000;

export function createFairShare({ perSecond = FAIR_SHARE_PER_SECOND, maxShops = MAX_SHOPS_TRACKED }: { perSecond?: number; maxShops?: number } = {}): FairShare {
  if (!(perSecond >= 1) || !(maxShops >= 1)) throw new RangeError("A fair share needs perSecond >= 1 and maxShops >= 1");
  const shops = new Map<string, { second: number; count: number; overLastSecond: boolean }>();
  return {
    priorityFor(shop, nowMs) {
      const second = Math.floor(nowMs / 1000);
      let counted = shops.get(shop);
      if (!counted) {
        if (shops.size >= maxShops) shops.delete(shops.keys().next().value!);
        counted = { second, count: 0, overLastSecond: false };
        shops.set(shop, counted);
      } else if (counted.second !== second) {
        counted.overLastSecond = counted.second === second - 1 && counted.count > perSecond;
        counted.second = second;
        counted.count = 0;
        // Map order is insertion order: moving an active shop to the end makes the first entry the longest-quiet.
        shops.delete(shop);
        shops.set(shop, counted);
      }
      counted.count++;
      return counted.overLastSecond || counted.count > perSecond ? 1 : 0;
    },
  };
}
