// A local stand-in for https://widget.oscarchat.ai/loader.js (unreachable from here): it takes over
// window.OscarChat the way the real loader does, replays the queued calls in order, and records every
// command in window.__oscarStandIn so a browser test can read what the widget was told, and when.

import { randomBytes } from "node:crypto";

export const OSCAR_LOADER_URL = "https://widget.oscarchat.ai/loader.js";

export type StandInCommand = { command: string; args: unknown; at: number };

export type StandInRecord = {
  widgetId: string | null;
  /** document.readyState when the loader ran: "complete" means after the page had loaded. */
  readyState: DocumentReadyState;
  executedAt: number;
  commands: StandInCommand[];
  /** The text the chat panel opened with, if it opened. */
  panelText: string | null;
};

/**
 * The loader's source. `busyMs` keeps the main thread busy when it runs and `paddingBytes` adds weight,
 * so the benchmark can give it the cost of a real chat widget (random padding: it does not compress away).
 */
export function oscarLoaderStandInSource({ busyMs = 0, paddingBytes = 0 }: { busyMs?: number; paddingBytes?: number } = {}): string {
  return `(function () {
  var script = document.currentScript;
  var record = {
    widgetId: script ? script.getAttribute("data-widget-id") : null,
    readyState: document.readyState,
    executedAt: performance.now(),
    commands: [],
    panelText: null
  };
  var until = performance.now() + ${Number(busyMs)};
  while (performance.now() < until) {}
  var queued = window.OscarChat && window.OscarChat.q ? Array.prototype.slice.call(window.OscarChat.q) : [];
  var launcher = document.createElement("div");
  launcher.className = "oscar-stand-in-launcher";
  // Where chat widgets put theirs, as high up as the app's own: later in the page, it covers the app's.
  launcher.style.cssText = "position:fixed;right:20px;bottom:20px;z-index:2147483000;width:56px;height:56px;border-radius:50%;background:#333";
  document.body.appendChild(launcher);
  function oscarChat(command, args) {
    record.commands.push({ command: command, args: args === undefined ? null : args, at: performance.now() });
    if (command === "open" || command === "startFlow") {
      var panel = document.querySelector(".oscar-stand-in-panel") || document.body.appendChild(document.createElement("div"));
      panel.className = "oscar-stand-in-panel";
      panel.textContent = command === "open" ? ((args && args.message) || "") : "flow:" + args.flow_id;
      record.panelText = panel.textContent;
    }
  }
  window.OscarChat = oscarChat;
  window.__oscarStandIn = record;
  for (var i = 0; i < queued.length; i++) oscarChat(queued[i][0], queued[i][1]);
})();
/*${randomBytes(Math.ceil(Math.max(0, paddingBytes) * 0.75)).toString("base64")}*/
`;
}
