// The Oscar simulator's chat widget, served as <sim origin>/widget/loader.js and loaded the way Oscar's
// own loader is: <script async src=… data-widget-id=…>. It takes over window.OscarChat, replays the
// calls queued before it arrived (OscarChat.q), and implements identify, open ({ message } pre-fills)
// and startFlow. It renders a launcher and a chat panel in a shadow root (the theme's CSS stays out),
// sends the shopper's messages to the simulator's widget API (sim/oscar/widget/widget-api.ts; the
// simulator's own, not Oscar's) and long-polls for new ones. Messages are placed by their position in
// the conversation and kept once by id, so none is lost or shown twice whichever answer comes first.
(function (w, d) {
  "use strict";
  var script = d.currentScript;
  if (!script || (w.OscarChat && w.OscarChat.oscarSimulator)) return;
  var widgetId = script.getAttribute("data-widget-id") || "";
  var api = new URL("api/", script.src).href;
  var queued = w.OscarChat && w.OscarChat.q ? Array.prototype.slice.call(w.OscarChat.q) : [];
  var storageKey = "oscar-sim-chat:" + widgetId;
  var ready = false;
  var identity = {};
  var visitor = "";
  // The shopper is known (identify came, or they opened the chat, or 2 s passed): only then is a
  // stored conversation read, so a shared device never shows the previous customer's chat first.
  var settled = false;
  var session = readSession();
  var cursor = 0;
  var polling = null;
  var failures = 0;
  var flow = null;
  var ui = null;

  function command(name, args) {
    if (!ready) return queued.push([name, args]);
    if (name === "identify") identify(args || {});
    else if (name === "open") open(args && typeof args.message === "string" ? args.message : "");
    else if (name === "startFlow") startFlow(args || {});
  }
  command.oscarSimulator = true;
  w.OscarChat = command;

  fetch(api + "widgets/" + encodeURIComponent(widgetId))
    .then(function (response) {
      if (response.status === 404) {
        console.error('Oscar Chat: no chat widget has the id "' + widgetId + '" (data-widget-id). Check the widget id in the app; the chat is not shown.');
        return null;
      }
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    })
    .then(function (widget) {
      if (!widget) return;
      ui = render();
      ready = true;
      var calls = queued;
      queued = [];
      for (var i = 0; i < calls.length; i++) command(calls[i][0], calls[i][1]);
      setTimeout(settle, 2000);
    })
    .catch(function (error) {
      console.error("Oscar Chat: the chat could not start (" + error.message + ").");
    });

  // ----- storage: only the conversation's id and its visitor token, nothing about the shopper

  function readSession() {
    try {
      var stored = JSON.parse(w.localStorage.getItem(storageKey) || "null");
      return stored && stored.conversation_id && stored.token ? stored : null;
    } catch {
      return null;
    }
  }

  function keepSession(next) {
    session = next;
    try {
      if (next) w.localStorage.setItem(storageKey, JSON.stringify(next));
      else w.localStorage.removeItem(storageKey);
    } catch {
      // storage refused: the conversation lasts as long as the page
    }
  }

  /** The conversation belongs to someone else now (or is gone): start afresh, show nothing of it. */
  function forgetConversation() {
    keepSession(null);
    cursor = 0;
    if (polling) polling.abort();
    if (ui) ui.log.textContent = "";
  }

  // ----- commands

  function identify(fields) {
    identity = {};
    for (var key in fields) if (Object.prototype.hasOwnProperty.call(fields, key)) identity[key] = fields[key];
    visitor = identity.user_id === undefined || identity.user_id === null ? "" : String(identity.user_id).trim();
    var name = typeof identity.name === "string" ? identity.name.trim() : "";
    ui.greeting.textContent = name ? "Hi " + name + "! How can we help?" : "Ask us anything. We usually reply in a few minutes.";
    if (session) {
      // Same shopper: the contact gets the renewed identity; someone else: their chat is not ours to show.
      call("PUT", "conversations/" + encodeURIComponent(session.conversation_id) + "/identity", { identity: identity }).then(function (response) {
        if (response.status === 409 || response.status === 404) forgetConversation();
      }, function () {});
    }
    settle();
  }

  function open(message) {
    ui.panel.hidden = false;
    ui.launcher.hidden = true;
    ui.launcher.setAttribute("aria-expanded", "true");
    if (message) ui.input.value = message;
    ui.input.focus();
    ui.log.scrollTop = ui.log.scrollHeight;
    settle();
  }

  function close() {
    ui.panel.hidden = true;
    ui.launcher.hidden = false;
    ui.launcher.setAttribute("aria-expanded", "false");
    ui.launcher.focus();
  }

  function startFlow(args) {
    if (typeof args.flow_id === "string" && args.flow_id) flow = { flow_id: args.flow_id, context: args.context && typeof args.context === "object" ? args.context : {} };
    open("");
  }

  function settle() {
    if (settled) return;
    settled = true;
    poll();
  }

  // ----- talking to the simulator

  function call(method, path, body, signal) {
    var headers = { Accept: "application/json", "X-Visitor-User": visitor };
    if (body) headers["Content-Type"] = "application/json";
    if (session) headers.Authorization = "Bearer " + session.token;
    return fetch(api + path, { method: method, headers: headers, body: body ? JSON.stringify(body) : undefined, signal: signal });
  }

  function send(event) {
    event.preventDefault();
    if (ui.send.disabled) return;
    var content = ui.input.value.trim();
    if (!content) return say("Write a message first.");
    ui.send.disabled = true;
    say("Sending…");
    var request = session
      ? call("POST", "conversations/" + encodeURIComponent(session.conversation_id) + "/messages", { content: content })
      : call("POST", "widgets/" + encodeURIComponent(widgetId) + "/conversations", { content: content, identity: identity, flow: flow || undefined });
    request
      .then(function (response) {
        if (session && (response.status === 409 || response.status === 404)) {
          // The stored conversation is no longer this shopper's: the message starts a new one.
          forgetConversation();
          return call("POST", "widgets/" + encodeURIComponent(widgetId) + "/conversations", { content: content, identity: identity, flow: flow || undefined });
        }
        return response;
      })
      .then(function (response) {
        return response.json().then(function (body) {
          if (!response.ok) throw new Error(body.error || "HTTP " + response.status);
          return body;
        });
      })
      .then(function (body) {
        if (body.token) {
          keepSession({ conversation_id: body.conversation_id, token: body.token });
          flow = null;
          show(body.messages);
          cursor = body.cursor;
          poll();
        } else {
          show([body.message]);
        }
        ui.input.value = "";
        say("");
      })
      .catch(function () {
        // The text stays in the box: nothing the shopper typed is lost.
        say("Your message could not be sent. Please try again.");
      })
      .then(function () {
        ui.send.disabled = false;
      });
  }

  /** Long-polls for messages after `cursor` while there is a conversation; backs off when the simulator is away. */
  function poll() {
    if (polling || !session || !settled) return;
    var mine = session;
    polling = new AbortController();
    call("GET", "conversations/" + encodeURIComponent(mine.conversation_id) + "/messages?after=" + cursor + "&wait=25000", null, polling.signal)
      .then(function (response) {
        if (response.status === 409 || response.status === 404) return forgetConversation();
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json().then(function (body) {
          if (session !== mine) return;
          show(body.messages);
          cursor = body.cursor;
          failures = 0;
        });
      })
      .catch(function (error) {
        if (error.name !== "AbortError") failures++;
      })
      .then(function () {
        polling = null;
        if (session) setTimeout(poll, failures ? Math.min(30000, 1000 * Math.pow(2, failures)) : 0);
      });
  }

  // ----- the page

  var AUTHORS = { shopper: "You", bot: "Assistant", agent: "Support" };
  var SAFE_TAGS = { P: 1, UL: 1, OL: 1, LI: 1, STRONG: 1, B: 1, EM: 1, I: 1, BR: 1, A: 1, CODE: 1 };

  function show(messages) {
    for (var i = 0; i < (messages || []).length; i++) {
      var message = messages[i];
      if (ui.log.querySelector('[data-message-id="' + CSS.escape(message.id) + '"]')) continue;
      var row = d.createElement("div");
      row.className = "message message--" + message.author;
      row.setAttribute("data-position", String(message.position));
      var author = d.createElement("p");
      author.className = "author";
      author.textContent = AUTHORS[message.author] || "Support";
      var bubble = d.createElement("div");
      bubble.className = "bubble";
      bubble.setAttribute("data-author", message.author);
      bubble.setAttribute("data-message-id", message.id);
      if (message.content_type === "html") appendSafeHtml(bubble, message.content || "");
      else bubble.textContent = message.content || "";
      row.appendChild(author);
      row.appendChild(bubble);
      // In conversation order, whichever answer (send or poll) brought the message first.
      var after = null;
      var rows = ui.log.children;
      for (var j = rows.length - 1; j >= 0; j--) {
        if (Number(rows[j].getAttribute("data-position")) < message.position) break;
        after = rows[j];
      }
      ui.log.insertBefore(row, after);
    }
    ui.log.scrollTop = ui.log.scrollHeight;
  }

  // Replies the app writes in HTML (order status) keep their lists, emphasis and https links; any
  // other markup is reduced to its text. DOMParser's document is inert: no script runs, nothing loads.
  function appendSafeHtml(target, html) {
    copySafe(new DOMParser().parseFromString(html, "text/html").body, target);
  }

  function copySafe(from, to) {
    for (var node = from.firstChild; node; node = node.nextSibling) {
      if (node.nodeType === 3) to.appendChild(d.createTextNode(node.nodeValue));
      if (node.nodeType !== 1 || node.tagName === "SCRIPT" || node.tagName === "STYLE" || node.tagName === "TEMPLATE") continue;
      if (!SAFE_TAGS[node.tagName]) {
        copySafe(node, to);
        continue;
      }
      var element = d.createElement(node.tagName.toLowerCase());
      if (node.tagName === "A") {
        var href = node.getAttribute("href") || "";
        if (/^https:\/\//i.test(href)) {
          element.href = href;
          element.target = "_blank";
          element.rel = "noopener noreferrer";
        }
      }
      copySafe(node, element);
      to.appendChild(element);
    }
  }

  function say(text) {
    ui.status.textContent = text;
  }

  function render() {
    var host = d.createElement("div");
    host.id = "oscar-sim-chat";
    var root = host.attachShadow({ mode: "open" });
    root.innerHTML =
      "<style>" + STYLE + "</style>" +
      '<button type="button" class="launcher" aria-label="Open chat" aria-expanded="false" aria-controls="panel">' +
      '<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z"/></svg></button>' +
      '<section id="panel" class="panel" role="dialog" aria-labelledby="title" hidden>' +
      '<header><div><h2 id="title">Chat</h2><p class="greeting"></p></div>' +
      '<button type="button" class="close" aria-label="Close chat">×</button></header>' +
      '<div class="log" role="log" aria-live="polite" aria-label="Messages" tabindex="0"></div>' +
      '<p class="status" role="status"></p>' +
      '<form novalidate><label for="message" class="visually-hidden">Message</label>' +
      '<textarea id="message" rows="2" maxlength="5000" placeholder="Write a message…"></textarea>' +
      '<button type="submit" class="send">Send</button></form></section>';
    d.body.appendChild(host);
    var parts = {
      launcher: root.querySelector(".launcher"),
      panel: root.querySelector(".panel"),
      greeting: root.querySelector(".greeting"),
      log: root.querySelector(".log"),
      status: root.querySelector(".status"),
      input: root.querySelector("textarea"),
      send: root.querySelector(".send"),
    };
    parts.greeting.textContent = "Ask us anything. We usually reply in a few minutes.";
    parts.launcher.addEventListener("click", function () {
      open("");
    });
    root.querySelector(".close").addEventListener("click", close);
    root.querySelector("form").addEventListener("submit", send);
    parts.input.addEventListener("keydown", function (event) {
      // Enter sends, Shift+Enter starts a new line (and never while an IME is composing).
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) send(event);
    });
    parts.panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape") close();
    });
    return parts;
  }

  var STYLE =
    ":host{all:initial}" +
    "*{box-sizing:border-box}[hidden]{display:none!important}" +
    ".visually-hidden{position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}" +
    ".launcher{position:fixed;right:20px;bottom:20px;z-index:2147483000;display:flex;align-items:center;justify-content:center;width:56px;height:56px;padding:0;border:0;border-radius:50%;background:#1f2937;color:#fff;box-shadow:0 4px 14px rgba(0,0,0,.25);cursor:pointer}" +
    ".launcher svg{width:26px;height:26px;fill:currentColor}" +
    "button:focus-visible,textarea:focus-visible,.log:focus-visible{outline:3px solid #2563eb;outline-offset:2px}" +
    ".panel{position:fixed;right:20px;bottom:20px;z-index:2147483000;display:flex;flex-direction:column;width:370px;height:min(580px,calc(100vh - 40px));background:#fff;color:#111827;border-radius:12px;box-shadow:0 12px 40px rgba(0,0,0,.28);overflow:hidden;font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif}" +
    "header{display:flex;align-items:flex-start;justify-content:space-between;gap:12px;padding:14px 16px;background:#1f2937;color:#fff}" +
    "h2{margin:0;font-size:17px;font-weight:600}.greeting{margin:2px 0 0;font-size:13px;color:#e5e7eb;overflow-wrap:anywhere}" +
    ".close{flex:none;width:36px;height:36px;margin:-4px -6px 0 0;border:0;border-radius:8px;background:transparent;color:#fff;font-size:24px;line-height:1;cursor:pointer}" +
    ".close:hover{background:rgba(255,255,255,.12)}" +
    ".log{flex:1;overflow-y:auto;padding:14px 16px;display:flex;flex-direction:column;gap:10px}" +
    ".message{display:flex;flex-direction:column;max-width:85%}.message--shopper{align-self:flex-end;align-items:flex-end}" +
    ".author{margin:0 0 2px;font-size:12px;color:#4b5563}" +
    ".bubble{padding:9px 12px;border-radius:12px;background:#f3f4f6;color:#111827;white-space:pre-wrap;overflow-wrap:anywhere}" +
    ".message--shopper .bubble{background:#1f2937;color:#fff}" +
    ".bubble p,.bubble ul,.bubble ol{margin:0 0 6px;white-space:normal}.bubble>:last-child{margin-bottom:0}.bubble ul,.bubble ol{padding-left:18px}.bubble a{color:#1d4ed8}" +
    ".status{min-height:1.2em;margin:0;padding:0 16px;font-size:13px;color:#991b1b}" +
    "form{display:flex;gap:8px;align-items:flex-end;padding:10px 12px 12px;border-top:1px solid #e5e7eb}" +
    "textarea{flex:1;min-height:44px;max-height:140px;padding:10px 12px;border:1px solid #6b7280;border-radius:8px;font:inherit;font-size:16px;color:#111827;background:#fff;resize:vertical}" +
    ".send{min-height:44px;padding:0 16px;border:0;border-radius:8px;background:#1f2937;color:#fff;font:inherit;font-weight:600;cursor:pointer}" +
    ".send:disabled{opacity:.6;cursor:progress}" +
    "@media (max-width:480px){.panel{inset:0;width:auto;height:100%;border-radius:0}.launcher{right:16px;bottom:16px}}";
})(window, document);
