import { requireSandbox } from "../sandbox/guard.server";
import { sandboxAdminSurfaces } from "../sandbox/admin-blocks.server";
import { escapeHtml } from "../text/escape";


// The sandbox's admin blocks: one link per surface, each rendered with the sandbox shop's data on a page of its own.
export const loader = async () => {
  const { shop } = requireSandbox();
  const surfaces = await sandboxAdminSurfaces(shop);
  const items = surfaces.map((s) => `<li><a href="/sandbox/admin-blocks/${s.key}">${escapeHtml(s.title)}</a> (<a href="/sandbox/admin-blocks/${s.key}?locale=fr">fr</a>)</li>`);
  const body = items.length
    ? `<ul>${items.join("")}</ul>`
    : "<p>No signed-in customer has chatted with the sandbox shop yet: the scripted day creates one.</p>";
  return new Response(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Admin blocks (sandbox)</title></head><body style="font-family:sans-serif;padding:24px"><h1>Oscar Chat in the Shopify admin (sandbox)</h1><p>Each page renders one admin UI extension with ${escapeHtml(shop)}'s data, in a stand-in for the Shopify admin (app/sandbox/admin-extension-host.js says what it assumes).</p>${body}</body></html>`,
    { headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" } },
  );
};
