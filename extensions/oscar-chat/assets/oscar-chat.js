// The chat on the storefront: when it loads and how shoppers are identified, see oscar-chat-embed.liquid.
(function (w, d) {
  var root = d.getElementById("oscar-chat");
  var identifiedKey = "oscar-chat:identified";
  // **assumed** (shared/oscar-api.md): no reset; identifying with empty fields clears.
  var nobody = { user_id: "", email: "", name: "", oscar_identity: "" };
  var store, started, pressing, loaded;

  if (!root) {
    // Embed off or misconfigured: a button that opens nothing is worse than none.
    if (!(w.Shopify && w.Shopify.designMode)) d.querySelectorAll("[data-oscar-chat]").forEach(function (button) { button.hidden = true; });
    return;
  }

  var settings = root.dataset;
  var launcher = root.querySelector(".oscar-chat-launcher");
  var stub = w.OscarChat;
  try {
    store = w.localStorage;
  } catch {
    store = null;
  }

  function chat(command, args) {
    w.OscarChat(command, args);
  }

  // Identify first in the queue: the widget never opens a conversation as a stranger.
  function deliverIdentity(identity) {
    if (w.OscarChat === stub) (stub.q = stub.q || []).unshift(["identify", identity]);
    else chat("identify", identity);
  }

  // No identity for this page: clear one this browser gave (or may have: storage refused).
  function forget() {
    var identified = 1;
    try {
      identified = store.getItem(identifiedKey);
      store.removeItem(identifiedKey);
    } catch {
      // cleared anyway
    }
    if (identified) deliverIdentity(nobody);
  }

  // Renewed 2 min before expiry, at most 25 min on, whatever the device's clock says.
  function requestIdentity() {
    return fetch(settings.identity, { headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.ok ? response.json() : {};
      })
      .then(function (body) {
        if (!body.identity) return forget();
        try {
          store.setItem(identifiedKey, "1");
        } catch {
          // refused: logged out clears regardless
        }
        deliverIdentity(body.identity);
        if (body.expires_at) setTimeout(requestIdentity, Math.min(Math.max(body.expires_at * 1000 - Date.now() - 12e4, 3e4), 15e5));
      })
      .catch(forget);
  }

  // `then` runs once the identity (or its clearing) is queued or failed, or after 1.5 s.
  function identify(then) {
    var done;
    function finish() {
      if (!done && then) then();
      done = 1;
    }
    if (!settings.identity) {
      forget();
      return finish();
    }
    setTimeout(finish, 1500);
    requestIdentity().then(finish);
  }

  function loadWidget() {
    var script = d.createElement("script");
    script.async = true;
    script.src = settings.loader;
    script.setAttribute("data-widget-id", settings.widgetId);
    script.onload = function () {
      loaded = 1;
      dropLauncher();
    };
    d.head.appendChild(script);
  }

  function start() {
    if (started) return;
    started = 1;
    identify(loadWidget);
  }

  // The stand-in goes once the widget is here, but not mid-press: removed, its click would be lost.
  function dropLauncher() {
    if (loaded && !pressing && launcher) launcher.remove();
  }
  w.addEventListener("pointerdown", function (event) {
    pressing = !event.button && event.target;
  }, true);
  function released() {
    pressing = 0;
    dropLauncher();
  }
  w.addEventListener("click", released);
  w.addEventListener("pointercancel", released);

  d.addEventListener("click", function (event) {
    // A press begun on the stand-in counts wherever it ends: the widget's launcher may cover it now.
    var button = (event.target.closest && event.target.closest("[data-oscar-chat]")) || (pressing && pressing.closest(".oscar-chat-launcher"));
    if (!button) return;
    var data = button.dataset;
    start();
    if (data.oscarChat === "ask") chat("open", { message: data.message.split("{product}").join(data.product) });
    else if (data.oscarChat === "flow") chat("startFlow", { flow_id: data.flow, context: JSON.parse(data.context) });
    else chat("open");
  });

  // From "Get help with this order": oscar-order-help.js identifies, then the chat loads.
  if (/oscar-order-help=/.test(w.location.hash)) {
    started = d.createElement("script");
    started.src = settings.orderHelp;
    started.onload = loadWidget;
    return d.head.appendChild(started);
  }

  // Any interaction starts it (start runs once).
  ["pointerdown", "keydown", "scroll", "touchstart"].forEach(function (type) {
    w.addEventListener(type, start, { capture: true, passive: true });
  });
  // Idle: 3 s after load (the page's own work first), then an idle moment. "Load the chat immediately"
  // waits only for the load event: the page never waits for the widget.
  function whenIdle() {
    if (settings.load === "immediately") return start();
    setTimeout(function () {
      if (w.requestIdleCallback) w.requestIdleCallback(start, { timeout: 2000 });
      else start();
    }, 3000);
  }
  if (d.readyState === "complete") whenIdle();
  else w.addEventListener("load", whenIdle);
})(window, document);
