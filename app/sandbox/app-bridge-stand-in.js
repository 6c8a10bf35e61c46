// Sandbox only: the few parts of App Bridge the app relies on, for a browser with no Shopify admin
// around the app. Like App Bridge it adds a fresh session token to the app's own fetches, answers
// shopify.idToken(), shows toasts and the contextual save bar (<ui-save-bar>), and completes the
// library's session-token bounce page.
(function () {
  "use strict";
  var TOKEN_URL = "/sandbox/session-token";
  var nativeFetch = window.fetch.bind(window);

  function idToken() {
    return nativeFetch(TOKEN_URL, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (body) { return body.token; });
  }

  window.fetch = function (input, init) {
    var url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url, location.href);
    if (url.origin !== location.origin || url.pathname.indexOf("/sandbox/") === 0) return nativeFetch(input, init);
    return idToken().then(function (token) {
      var headers = new Headers((init && init.headers) || (input instanceof Request ? input.headers : undefined));
      if (!headers.has("Authorization")) headers.set("Authorization", "Bearer " + token);
      return nativeFetch(input, Object.assign({}, init, { headers: headers }));
    });
  };

  function showToast(message, options) {
    // Like the admin, one toast at a time: a new one replaces the last.
    document.querySelectorAll(".sandbox-toast").forEach(function (previous) { previous.remove(); });
    var toast = document.createElement("div");
    toast.setAttribute("role", "status");
    toast.className = "sandbox-toast";
    toast.textContent = message;
    toast.style.cssText = "position:fixed;bottom:24px;left:50%;transform:translateX(-50%);z-index:1000;" +
      "padding:10px 16px;border-radius:8px;font:14px system-ui;color:#fff;background:" +
      (options && options.isError ? "#8e1f0b" : "#1a1a1a");
    document.body.appendChild(toast);
    setTimeout(function () { toast.remove(); }, (options && options.duration) || 5000);
  }

  // The admin shows <ui-nav-menu> links in its sidebar; here they become a simple top bar. The admin
  // shows the save bar above the app; here <ui-save-bar> itself becomes that bar, with the app's own
  // Save (variant="primary") and Discard buttons in it.
  var style = document.createElement("style");
  style.textContent = "ui-nav-menu{display:flex;gap:20px;padding:10px 20px;background:#1a1a1a;font:14px system-ui}" +
    "ui-nav-menu a{color:#fff;text-decoration:none}ui-nav-menu a[rel=home]{font-weight:600}" +
    "ui-save-bar{display:none}" +
    "ui-save-bar[data-open]{display:flex;position:fixed;top:0;left:0;right:0;z-index:1000;align-items:center;gap:8px;" +
    "padding:10px 20px;background:#1a1a1a;color:#fff;font:14px system-ui}" +
    "ui-save-bar[data-open]::before{content:'Unsaved changes';margin-right:auto;font-weight:600}" +
    "ui-save-bar button{font:13px system-ui;padding:6px 12px;border-radius:8px;border:1px solid #555;background:#303030;color:#fff;cursor:pointer}" +
    "ui-save-bar button[variant=primary]{order:2;background:#fff;color:#1a1a1a;border-color:#fff}" +
    "ui-save-bar button[disabled],ui-save-bar button[loading]{opacity:.6;cursor:default}";
  document.head.appendChild(style);

  if (window.customElements && !window.customElements.get("ui-save-bar")) {
    window.customElements.define("ui-save-bar", class extends HTMLElement {
      show() {
        if (!this.hasAttribute("data-open")) {
          this.setAttribute("data-open", "");
          this.dispatchEvent(new Event("show"));
        }
        return Promise.resolve();
      }
      hide() {
        if (this.hasAttribute("data-open")) {
          this.removeAttribute("data-open");
          this.dispatchEvent(new Event("hide"));
        }
        return Promise.resolve();
      }
      toggle() {
        return this.hasAttribute("data-open") ? this.hide() : this.show();
      }
      get showing() {
        return this.hasAttribute("data-open");
      }
    });
  }

  function saveBar(id) {
    var element = document.getElementById(id);
    return element && typeof element.show === "function" ? element : null;
  }

  var script = document.currentScript;
  window.shopify = {
    config: { apiKey: script && script.getAttribute("data-api-key"), shop: new URLSearchParams(location.search).get("shop") },
    environment: { embedded: false, mobile: false, pos: false },
    idToken: idToken,
    toast: { show: showToast, hide: function () {} },
    loading: function () {},
    // Shopify's permission dialog for optional scopes; here the browser's own confirm() is the
    // merchant's answer, and the sandbox route grants them in the fake Admin API.
    scopes: {
      request: function (scopes) {
        var allowed = window.confirm("Oscar Chat asks for more access to your store: " + scopes.join(", ") + ". Allow?");
        if (!allowed) return Promise.resolve({ result: "declined-all", detail: null });
        return nativeFetch("/sandbox/grant-scopes", {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ scopes: scopes }),
        }).then(function (r) {
          if (!r.ok) throw new Error("the permission request was refused (" + r.status + ")");
          return r.json();
        }).then(function (detail) { return { result: "granted-all", detail: detail }; });
      },
    },
    saveBar: {
      show: function (id) { var bar = saveBar(id); return bar ? bar.show() : Promise.resolve(); },
      hide: function (id) { var bar = saveBar(id); return bar ? bar.hide() : Promise.resolve(); },
      toggle: function (id) { var bar = saveBar(id); return bar ? bar.toggle() : Promise.resolve(); },
      leaveConfirmation: function () { return Promise.resolve(); },
    },
  };

  // The library's bounce page (/auth/session-token?shopify-reload=…) waits for App Bridge to come back
  // with a session token in the URL.
  var reload = new URLSearchParams(location.search).get("shopify-reload");
  if (reload) {
    idToken().then(function (token) {
      var next = new URL(reload, location.href);
      if (next.origin !== location.origin) return;
      next.searchParams.set("id_token", token);
      location.replace(next.href);
    });
  }
})();
