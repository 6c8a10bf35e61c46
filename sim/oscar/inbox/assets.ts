/**
 * The inbox's stylesheet and its one script, served as files so the pages' Content-Security-Policy
 * can forbid inline script and style: a message that slipped past escaping still could not run.
 */

/** A speech bubble, so the browser does not ask for /favicon.ico (a 404 outside the inbox). */
export const FAVICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><path fill="#0b57d0" d="M2 2h12v9H6l-4 3z"/></svg>`;

export const INBOX_CSS = `
*, *::before, *::after { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f1f1f; background: #f6f6f7; }
a { color: #0b57d0; }
a:focus-visible, button:focus-visible, select:focus-visible, textarea:focus-visible, input:focus-visible, [tabindex]:focus-visible { outline: 3px solid #0b57d0; outline-offset: 2px; }
.skip-link { position: absolute; left: -9999px; top: 0; background: #fff; padding: 8px; }
.skip-link:focus { left: 8px; }
.top { display: flex; flex-wrap: wrap; gap: 8px 24px; align-items: center; padding: 8px 16px; background: #1f1f1f; color: #fff; }
.top a { color: #fff; }
.top .muted { color: #d0d0d0; }
.brand { margin: 0; font-weight: 600; }
nav ul { display: flex; flex-wrap: wrap; gap: 16px; list-style: none; margin: 0; padding: 0; }
[aria-current="page"] { font-weight: 700; }
main { max-width: 1200px; margin: 0 auto; padding: 16px; }
h1 { font-size: 1.6rem; margin: 8px 0; }
h2 { font-size: 1.15rem; margin: 16px 0 8px; }
h3 { font-size: 1rem; margin: 8px 0; }
.muted { color: #555; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.filter ul { margin-bottom: 8px; }
.conversation-list { list-style: none; margin: 0; padding: 0; background: #fff; border: 1px solid #d4d4d4; border-radius: 8px; }
.conversation-row { display: flex; flex-wrap: wrap; justify-content: space-between; gap: 8px 16px; padding: 12px 16px; border-top: 1px solid #e3e3e3; }
.conversation-row:first-child { border-top: 0; }
.row-main { flex: 1 1 320px; min-width: 0; }
.row-link { font-weight: 600; margin-right: 8px; }
.excerpt { margin: 4px 0 0; overflow-wrap: anywhere; }
.row-meta { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; flex: 0 1 420px; }
.badge { display: inline-block; padding: 0 8px; border-radius: 10px; font-size: 0.875rem; background: #ececec; color: #1f1f1f; }
.status-open { background: #e6f4ea; color: #0d652d; }
.status-resolved { background: #e3e3e3; color: #303030; }
.escalated { background: #fde7e9; color: #a50e0e; }
.label { background: #e8f0fe; color: #174ea6; }
.private-tag { background: #fff0c2; color: #5c4300; }
.labels { display: inline-flex; flex-wrap: wrap; gap: 4px; list-style: none; margin: 0; padding: 0; }
.escalations { margin: 0; padding-left: 18px; }
.conversation { display: grid; grid-template-columns: minmax(0, 2fr) minmax(0, 1fr); gap: 24px; }
@media (max-width: 800px) { .conversation { grid-template-columns: minmax(0, 1fr); } }
.message { background: #fff; border: 1px solid #d4d4d4; border-radius: 8px; padding: 8px 12px; margin: 0 0 12px; overflow-wrap: anywhere; }
.message header { font-size: 0.875rem; }
.author-shopper { border-left: 4px solid #5f6368; }
.author-agent { border-left: 4px solid #0b57d0; }
.author-bot { border-left: 4px solid #7b1fa2; }
.author-app { border-left: 4px solid #0d652d; }
.message.private { background: #fffaeb; border-style: dashed; }
.author { font-weight: 600; }
.message-body table { border-collapse: collapse; font-size: 0.875rem; }
.message-body th, .message-body td { border: 1px solid #d4d4d4; padding: 4px 6px; text-align: left; white-space: nowrap; overflow-wrap: normal; }
.table-scroll { overflow-x: auto; }
.facts { margin: 0; }
.facts div { display: grid; grid-template-columns: minmax(0, 9em) minmax(0, 1fr); gap: 8px; padding: 4px 0; border-top: 1px solid #e3e3e3; }
.facts dt { font-weight: 600; overflow-wrap: anywhere; }
.facts dd { margin: 0; overflow-wrap: anywhere; }
.side section, .compose { background: #fff; border: 1px solid #d4d4d4; border-radius: 8px; padding: 4px 12px 12px; margin-bottom: 16px; }
form.action { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin: 8px 0 12px; }
form.action label { flex: 1 0 100%; font-weight: 600; }
textarea, input[type="text"], select { font: inherit; padding: 6px; border: 1px solid #767676; border-radius: 4px; max-width: 100%; }
textarea { display: block; width: 100%; }
form.action input[type="text"] { flex: 1 1 12em; }
.compose label { font-weight: 600; }
button { font: inherit; padding: 6px 14px; border-radius: 4px; border: 1px solid #0b57d0; background: #0b57d0; color: #fff; cursor: pointer; }
button:hover { background: #0842a0; }
.notice:empty { display: none; }
.notice { padding: 8px 12px; border-radius: 6px; }
.notice.error { background: #fde7e9; color: #a50e0e; }
.notice.done { background: #e6f4ea; color: #0d652d; }
.slack-message { background: #fff; border: 1px solid #d4d4d4; border-radius: 8px; padding: 8px 12px; margin-bottom: 12px; overflow-wrap: anywhere; }
.slack-list { max-width: 760px; }
.slack-header { font-size: 1.05rem; }
.slack-fields { display: grid; grid-template-columns: repeat(auto-fit, minmax(12em, 1fr)); gap: 8px; }
.slack-section { margin: 6px 0; }
.slack-context { font-size: 0.875rem; color: #555; }
.slack-actions { display: flex; flex-wrap: wrap; gap: 8px; margin: 8px 0; }
.slack-button { display: inline-block; padding: 4px 12px; border: 1px solid #767676; border-radius: 4px; text-decoration: none; color: #1f1f1f; }
.slack-mention { background: #e8f0fe; color: #174ea6; border-radius: 3px; padding: 0 2px; }
blockquote { margin: 6px 0; padding-left: 10px; border-left: 4px solid #d4d4d4; }
`;

/**
 * Keeps the conversation page current without a reload: polls the page's JSON twin and replaces
 * the messages, details and Slack parts when they changed. The forms are never touched, so what an
 * agent is typing stays where it is.
 */
export const LIVE_JS = `"use strict";
(function () {
  var root = document.querySelector("[data-live-url]");
  if (!root) return;
  var url = root.getAttribute("data-live-url");
  var version = root.getAttribute("data-live-version");
  var parts = { messages: "live-messages", details: "live-details", slack: "live-slack" };
  function poll() {
    fetch(url, { headers: { accept: "application/json" }, cache: "no-store" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (live) {
        if (!live || live.version === version) return;
        Object.keys(parts).forEach(function (name) {
          var element = document.getElementById(parts[name]);
          if (element && typeof live[name] === "string") element.innerHTML = live[name];
        });
        version = live.version;
      })
      .catch(function () {})
      .then(function () { setTimeout(poll, 1000); });
  }
  poll();

  // Reply and Private note share one form (one "Acting as"): sending one keeps the other's draft for
  // the page that comes back, so nothing typed is lost.
  var compose = document.querySelector("form.compose");
  if (!compose || !window.sessionStorage) return;
  var key = function (field) { return "inbox-draft:" + location.pathname + ":" + field.id; };
  ["reply", "note"].forEach(function (id) {
    var field = document.getElementById(id);
    if (!field) return;
    var saved = sessionStorage.getItem(key(field));
    if (!field.value && saved) field.value = saved;
    field.addEventListener("input", function () { sessionStorage.setItem(key(field), field.value); });
  });
  compose.addEventListener("submit", function (event) {
    var sent = event.submitter && event.submitter.getAttribute("formaction") ? "note" : "reply";
    var field = document.getElementById(sent);
    if (field) sessionStorage.removeItem(key(field));
  });
})();
`;
