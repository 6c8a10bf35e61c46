// Shopify's leaky bucket for GraphQL: each shop has points that refill at a steady rate; a query
// is refused as THROTTLED when the bucket cannot pay its requested cost.

export type ThrottleStatus = { maximumAvailable: number; currentlyAvailable: number; restoreRate: number };
export type ThrottleSettings = Partial<ThrottleStatus>;

export const STANDARD_THROTTLE = { maximumAvailable: 2000, restoreRate: 100 } as const;

export type CostBucket = {
  status(): ThrottleStatus;
  /** Takes the points when the bucket holds enough; false (and nothing taken) otherwise. */
  withdraw(points: number): boolean;
  /** Gives back what a query was charged but did not use (requested minus actual cost). */
  refund(points: number): void;
  configure(settings: ThrottleSettings): void;
};

export function createCostBucket(settings: ThrottleSettings, clock: () => number): CostBucket {
  let maximumAvailable = settings.maximumAvailable ?? STANDARD_THROTTLE.maximumAvailable;
  let restoreRate = settings.restoreRate ?? STANDARD_THROTTLE.restoreRate;
  let available = settings.currentlyAvailable ?? maximumAvailable;
  let refilledAt = clock();

  const refill = () => {
    const now = clock();
    available = Math.min(maximumAvailable, available + ((now - refilledAt) / 1000) * restoreRate);
    refilledAt = now;
  };

  return {
    status() {
      refill();
      return { maximumAvailable, currentlyAvailable: Math.floor(available), restoreRate };
    },
    withdraw(points) {
      refill();
      if (points > available) return false;
      available -= points;
      return true;
    },
    refund(points) {
      refill();
      available = Math.min(maximumAvailable, available + Math.max(0, points));
    },
    configure(next) {
      refill();
      maximumAvailable = next.maximumAvailable ?? maximumAvailable;
      restoreRate = next.restoreRate ?? restoreRate;
      available = Math.min(maximumAvailable, next.currentlyAvailable ?? available);
    },
  };
}
