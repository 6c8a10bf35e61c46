import { config } from "../config.server";
import prisma from "../db.server";
import { FLOW_TRIGGER_HANDLES } from "../services/flow-triggers.server";
import { requireSandbox } from "../sandbox/guard.server";
import { escapeHtml } from "../text/escape";

type RecordedCall = { handle: string | null; payload: unknown; accepted: boolean; userErrors: { field: string[] | null; message: string }[]; at: string };

const cell = (value: unknown) => `<td>${value === undefined || value === null ? "—" : escapeHtml(String(value))}</td>`;

/**
 * Sandbox only: the Shopify Flow triggers the app sent, as the fake Admin API recorded each
 * flowTriggerReceive call (its /_fake/flow-triggers control route), newest first. Plain HTML, every
 * value escaped: reasons can quote what a shopper or Oscar's bot wrote.
 */
export const loader = async () => {
  const { shop } = requireSandbox();
  const origin = config().shopify.adminApiOrigin;
  if (!origin) throw new Response("Not Found", { status: 404 });
  const response = await fetch(`${origin}/_fake/flow-triggers?shop=${encodeURIComponent(shop)}`);
  if (!response.ok) throw new Response(`The fake Admin API answered ${response.status}`, { status: 502 });
  const { calls } = (await response.json()) as { calls: RecordedCall[] };
  const rows = [...calls].reverse().map((call) => {
    const payload = (call.payload ?? {}) as Record<string, unknown>;
    const outcome = call.accepted ? "accepted" : `refused: ${call.userErrors.map((e) => `${(e.field ?? []).join(".")} ${e.message}`).join("; ")}`;
    return `<tr>${[call.at, call.handle, outcome, payload.customer_id, payload.order_id, payload["Conversation ID"], payload.Reason, payload["Conversation link"]].map(cell).join("")}</tr>`;
  });
  // What Flow's lifecycle callbacks told the app: a trigger is sent only while a workflow uses it.
  const usage = new Map((await prisma.flowTriggerUsage.findMany({ where: { shop } })).map((row) => [row.trigger, row]));
  const usageRows = Object.values(FLOW_TRIGGER_HANDLES).map((handle) => {
    const row = usage.get(handle);
    return `<tr>${[handle, row ? (row.inUse ? "in use: sent" : "no enabled workflow: not sent") : "never reported: not sent", row?.reportedAt.toISOString()].map(cell).join("")}</tr>`;
  });
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shopify Flow triggers · sandbox</title>
<style>body{font:14px system-ui,sans-serif;margin:2rem}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}</style></head>
<body><h1>Shopify Flow triggers sent by the app</h1>
<h2>Workflows using each trigger</h2>
<p>As Flow's trigger lifecycle callback last reported them: the app sends a trigger only while an enabled workflow starts with it.</p>
<table><thead><tr><th>Trigger</th><th>Workflows</th><th>Reported</th></tr></thead><tbody>${usageRows.join("\n")}</tbody></table>
<h2>Calls</h2>
<p>${calls.length} flowTriggerReceive ${calls.length === 1 ? "call" : "calls"} for ${escapeHtml(shop)}, checked by the fake Admin API against the triggers declared under <code>extensions/</code>.</p>
<table><thead><tr><th>When</th><th>Trigger</th><th>Outcome</th><th>customer_id</th><th>order_id</th><th>Conversation ID</th><th>Reason</th><th>Conversation link</th></tr></thead>
<tbody>${rows.join("\n") || '<tr><td colspan="8">None yet.</td></tr>'}</tbody></table></body></html>`;
  return new Response(html, { headers: { "Content-Type": "text/html; charset=utf-8", "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'" } });
};
