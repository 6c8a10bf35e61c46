// Oscar Chat on the storefront: keeps the chat's loader off the page load (the app's own launcher
// stands in until the browser is idle or the shopper interacts), wires the app blocks' buttons, and
// identifies logged-in customers with what the app signed, never with what the page alone claims.
(function (w, d) {
  var root = d.getElementById("oscar-chat");
  var buttons = d.querySelectorAll("[data-oscar-chat]");
  var identityKey = "oscar-chat:identity";
  var interactions = ["pointerdown", "keydown", "scroll", "touchstart"];
  var store, started, i;

  if (!root) {
    // The app embed is off or misconfigured: a button that cannot open the chat is worse than none.
    if (!(w.Shopify && w.Shopify.designMode)) for (i = 0; i < buttons.length; i++) buttons[i].hidden = true;
    return;
  }

  var settings = root.dataset;
  var facade = !!settings.loader;
  var stub = w.OscarChat;
  try {
    store = w.sessionStorage;
    if (!settings.identity) store.removeItem(identityKey);
  } catch {
    store = null;
  }

  function chat() {
    w.OscarChat.apply(w, arguments);
  }

  // Identify goes first in the queue, so the widget never opens a conversation as a stranger.
  function deliverIdentity(identity) {
    if (facade && w.OscarChat === stub) (stub.q = stub.q || []).unshift(["identify", identity]);
    else chat("identify", identity);
  }

  // Calls `then` once the identity is in the queue, or has failed, or after 1.5 s at most.
  function identify(then) {
    var cached, done;
    function finish() {
      if (!done && then) then();
      done = 1;
    }
    if (!settings.identity) return finish();
    try {
      cached = JSON.parse(store.getItem(identityKey));
    } catch {
      cached = null;
    }
    // One signed identity per customer per hour of browsing, rather than one Admin API call per page.
    if (cached && cached.c === settings.customer && Date.now() - cached.t < 36e5) {
      deliverIdentity(cached.i);
      return finish();
    }
    setTimeout(finish, 1500);
    fetch(settings.identity, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.ok ? response.json() : {};
      })
      .then(function (body) {
        if (!body.identity) return;
        try {
          store.setItem(identityKey, JSON.stringify({ c: settings.customer, t: Date.now(), i: body.identity }));
        } catch {
          // Private browsing may refuse storage: the next page asks the app again.
        }
        deliverIdentity(body.identity);
      })
      .catch(function () {
        // The chat still works for a shopper it could not identify.
      })
      .then(finish);
  }

  function loadWidget() {
    var script = d.createElement("script");
    script.async = true;
    script.src = settings.loader;
    script.setAttribute("data-widget-id", settings.widgetId);
    script.onload = function () {
      var launcher = root.querySelector(".oscar-chat-launcher");
      if (launcher) launcher.remove();
    };
    d.head.appendChild(script);
  }

  function start() {
    if (started) return;
    started = 1;
    for (i = 0; i < interactions.length; i++) w.removeEventListener(interactions[i], start, true);
    identify(facade && loadWidget);
  }

  d.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-oscar-chat]");
    if (!button) return;
    var data = button.dataset;
    start();
    if (data.oscarChat === "ask") chat("open", { message: data.message.split("{product}").join(data.product) });
    else if (data.oscarChat === "flow") chat("startFlow", { flow_id: data.flow, context: JSON.parse(data.context) });
    else chat("open");
  });

  if (!facade) return start();
  for (i = 0; i < interactions.length; i++) w.addEventListener(interactions[i], start, { capture: true, passive: true });
  // Idle means settled: 3 s after load (the page's own post-load work and the shopper's first look come
  // first), then an idle moment; any interaction before that loads the chat at once.
  function whenIdle() {
    setTimeout(function () {
      if (w.requestIdleCallback) w.requestIdleCallback(start, { timeout: 2000 });
      else start();
    }, 3000);
  }
  if (d.readyState === "complete") whenIdle();
  else w.addEventListener("load", whenIdle);
})(window, document);
