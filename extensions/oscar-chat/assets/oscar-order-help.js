// "Get help with this order" (the customer account extension extensions/order-help) opens the store with
// #oscar-order-help=<token>: the app's signed identity for one customer, naming the order they asked about.
// oscar-chat.js loads this file only then, instead of asking the app proxy for the page's identity, and
// loads the chat once it has run. The token is taken out of the address bar at once (no bookmark or
// shared link keeps it); what it proves is decided by the app's worker, which checks its signature,
// never by this script.
(function (w, d) {
  var root = d.getElementById("oscar-chat");
  var help = /[#&]oscar-order-help=([\w.-]{1,2048})(?:&|$)/.exec(w.location.hash);
  if (!root || !help) return;
  var settings = root.dataset;
  var token = help[1];
  var order = "";
  w.history.replaceState(null, "", w.location.pathname + w.location.search);
  try {
    // The order's name for the shopper's own message; the agent's note takes it from the verified token.
    var claims = JSON.parse(atob(token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
    order = typeof claims.onm === "string" ? claims.onm : "";
    var identity = { user_id: String(claims.sub), oscar_identity: token };
  } catch {
    identity = { oscar_identity: token };
  }
  try {
    // A later page with nobody logged in clears this identity (oscar-chat.js), as after any identify.
    w.localStorage.setItem("oscar-chat:identified", "1");
  } catch {
    // refused: a logged-out page clears regardless
  }

  // Identify goes first in the queue, so the widget never opens the conversation as a stranger.
  var stub = w.OscarChat;
  (stub.q = stub.q || []).unshift(["identify", identity]);
  stub("open", { message: order ? (settings.orderHelpMessage || "{order}").split("{order}").join(order) : "" });
})(window, document);
