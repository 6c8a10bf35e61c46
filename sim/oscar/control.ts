import { z } from "zod";
import { OscarSimFaultsSchema } from "./faults";
import type { OscarSimulator } from "./server";
import { SimNotFound } from "./state";

/**
 * The simulator's own HTTP API under /_sim/…, for driving it from outside a test (the sandbox, a
 * shell): the same scenario, inspection and fault methods the simulator object offers.
 */

const at = z.number().int().optional();
const OpenConversationSchema = z.strictObject({
  email: z.string().min(1),
  name: z.string().min(1),
  message: z.string().min(1).optional(),
  customAttributes: z.record(z.string(), z.unknown()).optional(),
  workspaceId: z.string().optional(),
  at,
});
const TextSchema = z.strictObject({ content: z.string().min(1), at });
const EscalationSchema = z.strictObject({ reason: z.string().min(1), at });
const AgentSchema = z.strictObject({ agentId: z.string().optional(), at });
const ResolutionSchema = z.strictObject({ csatScore: z.number().min(0).max(5).optional(), at });
const ListEndpointsSchema = z.strictObject({ listEndpoints: z.enum(["present", "absent"]) });

type Answer = { status: number; body?: unknown };
type Control = (sim: OscarSimulator, body: unknown, params: string[]) => Answer;

const ok = (body: unknown): Answer => ({ status: 200, body });
const done = (body: unknown = { ok: true }): Answer => ({ status: 201, body });

const routes: { method: string; pattern: RegExp; run: Control }[] = [
  { method: "GET", pattern: /^\/accounts$/, run: (sim) => ok(sim.inspect.accounts()) },
  { method: "GET", pattern: /^\/faults$/, run: (sim) => ok({ faults: sim.faults(), injected: sim.inspect.injectedFaults() }) },
  {
    method: "PUT",
    pattern: /^\/faults$/,
    run: (sim, body) => {
      sim.setFaults(OscarSimFaultsSchema.parse(body ?? {}));
      return ok({ faults: sim.faults() });
    },
  },
  { method: "GET", pattern: /^\/list-endpoints$/, run: (sim) => ok({ listEndpoints: sim.listEndpoints() }) },
  {
    method: "PUT",
    pattern: /^\/list-endpoints$/,
    run: (sim, body) => {
      sim.setListEndpoints(ListEndpointsSchema.parse(body ?? {}).listEndpoints);
      return ok({ listEndpoints: sim.listEndpoints() });
    },
  },
  { method: "POST", pattern: /^\/conversations$/, run: (sim, body) => done(sim.scenario.shopperOpensConversation(OpenConversationSchema.parse(body))) },
  {
    method: "POST",
    pattern: /^\/conversations\/([^/]+)\/messages$/,
    run: (sim, body, [id]) => {
      const { content, at } = TextSchema.parse(body);
      return done(sim.scenario.shopperWrites(id, content, at));
    },
  },
  {
    method: "POST",
    pattern: /^\/conversations\/([^/]+)\/replies$/,
    run: (sim, body, [id]) => {
      const { content, at } = TextSchema.parse(body);
      return done(sim.scenario.agentReplies(id, content, at));
    },
  },
  {
    method: "POST",
    pattern: /^\/conversations\/([^/]+)\/escalations$/,
    run: (sim, body, [id]) => {
      const { reason, at } = EscalationSchema.parse(body);
      sim.scenario.botEscalates(id, reason, at);
      return done();
    },
  },
  {
    method: "POST",
    pattern: /^\/conversations\/([^/]+)\/assignments$/,
    run: (sim, body, [id]) => {
      const { agentId, at } = AgentSchema.parse(body ?? {});
      sim.scenario.agentAssigned(id, agentId, at);
      return done();
    },
  },
  {
    method: "POST",
    pattern: /^\/conversations\/([^/]+)\/resolution$/,
    run: (sim, body, [id]) => {
      sim.scenario.agentResolves(id, ResolutionSchema.parse(body ?? {}));
      return done();
    },
  },
  { method: "GET", pattern: /^\/conversations\/([^/]+)\/messages$/, run: (sim, _, [id]) => ok(sim.inspect.messages(id)) },
  { method: "GET", pattern: /^\/conversations\/([^/]+)\/notes$/, run: (sim, _, [id]) => ok(sim.inspect.notes(id)) },
  { method: "GET", pattern: /^\/conversations\/([^/]+)\/labels$/, run: (sim, _, [id]) => ok(sim.inspect.labels(id)) },
  { method: "GET", pattern: /^\/conversations\/([^/]+)\/assignments$/, run: (sim, _, [id]) => ok(sim.inspect.assignments(id)) },
  { method: "GET", pattern: /^\/contacts\/([^/]+)$/, run: (sim, _, [id]) => ok(sim.inspect.contact(id)) },
  { method: "GET", pattern: /^\/bots\/([^/]+)\/knowledge_sources$/, run: (sim, _, [id]) => ok(sim.inspect.knowledgeSources(id)) },
  { method: "GET", pattern: /^\/bots\/([^/]+)\/syncs$/, run: (sim, _, [id]) => ok(sim.inspect.syncCalls(id)) },
  { method: "GET", pattern: /^\/webhooks$/, run: (sim) => ok(sim.inspect.webhooks()) },
  { method: "GET", pattern: /^\/webhooks\/deliveries$/, run: (sim) => ok(sim.inspect.webhookDeliveries()) },
  {
    method: "GET",
    pattern: /^\/requests$/,
    run: (sim) =>
      ok(
        sim.keyIds().map((keyId) => {
          const stats = sim.inspect.requestsByKeyId(keyId);
          return { keyId, total: stats.total, byOutcome: stats.byOutcome, rateLimited: stats.rateLimited, maxInWindow: stats.maxInWindow() };
        }),
      ),
  },
];

export function answerControlRequest(sim: OscarSimulator, method: string, url: URL, body: { json: unknown; invalid: boolean }): Answer {
  if (body.invalid) return { status: 400, body: { error: "body: not valid JSON" } };
  const path = url.pathname.slice("/_sim".length);
  const route = routes.find((r) => r.method === method && r.pattern.test(path));
  if (!route) return { status: 404, body: { error: "no such simulator endpoint" } };
  const params = (path.match(route.pattern) ?? []).slice(1).map(decodeURIComponent);
  try {
    return route.run(sim, body.json, params);
  } catch (error) {
    if (error instanceof SimNotFound) return { status: 404, body: { error: error.message } };
    if (error instanceof z.ZodError) {
      const issue = error.issues[0];
      return { status: 400, body: { error: `${issue.path.join(".") || "body"}: ${issue.message}` } };
    }
    throw error;
  }
}
