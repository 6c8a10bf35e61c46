import { z } from "zod";
import { createRandom, type Random } from "../shopify-admin/random";

/**
 * Failures the simulated Oscar injects into /v1 requests, to prove the client survives them:
 * slow answers, 5xx, bursts of 429, and connections dropped before or after a write was applied
 * (after: the ambiguous case, where the client cannot know whether its write happened).
 */

const FaultSchema = z.discriminatedUnion("kind", [
  /** Answer with this status before applying anything. */
  z.strictObject({ kind: z.literal("status"), status: z.number().int().min(400).max(599), retryAfterSeconds: z.number().int().min(0).optional() }),
  /** Destroy the socket without answering; afterApply: only once a write has been applied. */
  z.strictObject({ kind: z.literal("drop"), afterApply: z.boolean().default(false) }),
  /** Apply the request at once but answer after `ms`. */
  z.strictObject({ kind: z.literal("delay"), ms: z.number().int().min(0) }),
  /** Apply the request, then answer this 2xx (JSON `body`, raw `text`, or nothing) instead of the contract's body. */
  z.strictObject({
    kind: z.literal("answer"),
    status: z.number().int().min(200).max(299),
    body: z.unknown().optional(),
    text: z.string().optional(),
  }),
]);

export const OscarSimFaultsSchema = z.strictObject({
  /** Every answer is delayed by this much; writes are applied on arrival. */
  latencyMs: z.number().int().min(0).default(0),
  /** Share of requests answered 500, 502 or 503 without being applied. */
  serverErrorRate: z.number().min(0).max(1).default(0),
  /** Share of requests whose connection is destroyed before anything is applied. */
  dropRate: z.number().min(0).max(1).default(0),
  /** Share of writes applied and then left without an answer (connection destroyed). */
  dropAfterApplyRate: z.number().min(0).max(1).default(0),
  /** Of every `every` requests, the first `length` are answered 429 with Retry-After. */
  rateLimitBursts: z
    .strictObject({ every: z.number().int().min(1), length: z.number().int().min(1), retryAfterSeconds: z.number().int().min(0) })
    .optional(),
  /** Faults for the next requests, in order, before any of the rates above apply. */
  script: z.array(FaultSchema).default([]),
  /** Seed of the random choices, so a run can be repeated. */
  seed: z.number().int().default(1),
});

export type OscarSimFault = z.input<typeof FaultSchema>;
export type OscarSimFaults = z.input<typeof OscarSimFaultsSchema>;

export type FaultPlan = {
  /** Answer this instead of applying the request. */
  refuse?: { status: number; retryAfterSeconds?: number };
  dropBeforeApply: boolean;
  dropAfterApply: boolean;
  delayMs: number;
  /** When the request succeeds, answer this instead. */
  replaceAnswer?: { status: number; body?: unknown; text?: string };
};

export type InjectedFaultCounts = {
  serverErrors: number;
  rateLimitBursts: number;
  drops: number;
  dropsAfterApply: number;
  delays: number;
  otherAnswers: number;
};

export function createFaultInjector(initial: OscarSimFaults = {}) {
  let faults = OscarSimFaultsSchema.parse(initial);
  let random: Random = createRandom(faults.seed);
  let requestsSeen = 0;
  const counts: InjectedFaultCounts = { serverErrors: 0, rateLimitBursts: 0, drops: 0, dropsAfterApply: 0, delays: 0, otherAnswers: 0 };

  function planScripted(fault: z.output<typeof FaultSchema>, isWrite: boolean): FaultPlan {
    const plan: FaultPlan = { dropBeforeApply: false, dropAfterApply: false, delayMs: faults.latencyMs };
    if (fault.kind === "status") {
      plan.refuse = { status: fault.status, retryAfterSeconds: fault.retryAfterSeconds };
      if (fault.status === 429) counts.rateLimitBursts += 1;
      else if (fault.status >= 500) counts.serverErrors += 1;
    } else if (fault.kind === "drop") {
      if (fault.afterApply && isWrite) {
        plan.dropAfterApply = true;
        counts.dropsAfterApply += 1;
      } else {
        plan.dropBeforeApply = true;
        counts.drops += 1;
      }
    } else if (fault.kind === "delay") {
      plan.delayMs += fault.ms;
      counts.delays += 1;
    } else {
      plan.replaceAnswer = { status: fault.status, body: fault.body, text: fault.text };
      counts.otherAnswers += 1;
    }
    return plan;
  }

  return {
    set(next: OscarSimFaults) {
      faults = OscarSimFaultsSchema.parse(next);
      random = createRandom(faults.seed);
      requestsSeen = 0;
    },
    current: (): z.output<typeof OscarSimFaultsSchema> => structuredClone(faults),
    counts: (): InjectedFaultCounts => ({ ...counts }),

    /** Decides what happens to the next /v1 request. */
    plan(isWrite: boolean): FaultPlan {
      const position = requestsSeen++;
      const scripted = faults.script.shift();
      if (scripted) return planScripted(scripted, isWrite);

      const plan: FaultPlan = { dropBeforeApply: false, dropAfterApply: false, delayMs: faults.latencyMs };
      const bursts = faults.rateLimitBursts;
      if (bursts && position % bursts.every < bursts.length) {
        counts.rateLimitBursts += 1;
        plan.refuse = { status: 429, retryAfterSeconds: bursts.retryAfterSeconds };
      } else if (random.chance(faults.serverErrorRate)) {
        counts.serverErrors += 1;
        plan.refuse = { status: random.pick([500, 502, 503]) };
      } else if (random.chance(faults.dropRate)) {
        counts.drops += 1;
        plan.dropBeforeApply = true;
      } else if (isWrite && random.chance(faults.dropAfterApplyRate)) {
        counts.dropsAfterApply += 1;
        plan.dropAfterApply = true;
      }
      return plan;
    },
  };
}

export type FaultInjector = ReturnType<typeof createFaultInjector>;
