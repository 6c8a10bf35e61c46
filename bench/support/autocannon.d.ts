// autocannon ships no types; the benchmark uses only this much of it.
declare module "autocannon" {
  type Result = {
    requests: { total: number; sent: number; average: number };
    latency: { p50: number; p99: number; max: number };
    non2xx: number;
    errors: number;
    timeouts: number;
    statusCodeStats?: Record<string, { count: number }>;
    /** Seconds the run took. */
    duration: number;
  };
  export default function autocannon(options: Record<string, unknown>): Promise<Result>;
}
