// A stand-in for the Shopify admin's host of an admin UI extension, for the sandbox and the browser
// tests (Shopify's admin cannot be reached here). What it assumes, and where it differs from Shopify:
// - Shopify runs the extension in a sandboxed worker and mirrors its s-* elements into the admin's own
//   Polaris components (remote-dom). Here the module runs in this page and the s-* elements are small
//   custom elements below that draw an approximation of them: the same text, states and controls, not
//   Shopify's pixels. Only the components the app's extensions use are drawn.
// - The `shopify` global offers what the app's extensions use: extension.target, data.selected (the
//   page's resource GID), i18n (translate with {{name}} and one/other plurals from the extension's
//   locales, formatDate/formatNumber with Intl), auth.idToken(), close() and navigation.navigate().
//   `query` (direct Admin API access) is not provided: it rejects, and the app's extensions never call it.
// - fetch() to a relative URL or to the app's URL is resolved against the app's URL and sent with
//   `Authorization: Bearer <session token>`, as Shopify documents for admin extensions; the token
//   comes from the page's token URL (the sandbox's, or the test's), never from the extension.
// - The module's default export is called once, as the admin calls it when the target renders.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("admin-extension-host-config").textContent);
  var appOrigin = new URL(config.appUrl).origin;
  var nativeFetch = window.fetch.bind(window);
  var missingKeys = [];
  window.__adminHost = { missingKeys: missingKeys, closed: false, navigatedTo: null };

  function lookup(messages, key) {
    return key.split(".").reduce(function (node, part) {
      return node && typeof node === "object" ? node[part] : undefined;
    }, messages);
  }

  function makeI18n(messages, fallback, locale) {
    var plurals = new Intl.PluralRules(locale);
    return {
      translate: function (key, options) {
        options = options || {};
        var entry = lookup(messages, key);
        if (entry === undefined) entry = lookup(fallback, key);
        if (entry && typeof entry === "object" && typeof options.count === "number") entry = entry[plurals.select(options.count)] || entry.other;
        if (typeof entry !== "string") {
          missingKeys.push(key);
          return key;
        }
        return entry.replace(/\{\{\s*(\w+)\s*\}\}/g, function (whole, name) {
          return name in options ? String(options[name]) : whole;
        });
      },
      formatDate: function (date, options) {
        return new Intl.DateTimeFormat(locale, options).format(date);
      },
      formatNumber: function (number, options) {
        return new Intl.NumberFormat(locale, options).format(number);
      },
      formatCurrency: function (number, options) {
        return new Intl.NumberFormat(locale, Object.assign({ style: "currency" }, options)).format(number);
      },
    };
  }

  function idToken() {
    return nativeFetch(config.tokenUrl, { cache: "no-store" })
      .then(function (response) {
        if (!response.ok) throw new Error("no session token (" + response.status + ")");
        return response.json();
      })
      .then(function (body) {
        return body.token;
      });
  }

  // Shopify: "Relative URLs passed to fetch() are resolved against your app's app_url", and calls to
  // the app's domain carry the ID token as a Bearer token.
  window.fetch = function (input, init) {
    var url = new URL(typeof input === "string" ? input : input.url, config.appUrl);
    if (url.origin !== appOrigin) return nativeFetch(input, init);
    return idToken().then(function (token) {
      var headers = new Headers((init && init.headers) || undefined);
      headers.set("Authorization", "Bearer " + token);
      return nativeFetch(url.toString(), Object.assign({}, init, { headers: headers }));
    });
  };

  // ---- s-* elements: an approximation of the admin's Polaris components ----------------------------
  var STYLE = [
    ":host{box-sizing:border-box}",
    ":host([hidden]){display:none}",
  ].join("");
  var TONES = {
    info: ["#e0f0ff", "#00527c"],
    success: ["#cdfee1", "#0c5132"],
    warning: ["#ffd6a4", "#5e4200"],
    caution: ["#fff1b8", "#4f4700"],
    critical: ["#fedad9", "#8e0b21"],
    neutral: ["#e3e3e3", "#303030"],
    auto: ["#e3e3e3", "#303030"],
  };
  var GAPS = { none: "0", "small-500": "2px", "small-400": "2px", "small-300": "4px", "small-200": "4px", "small-100": "6px", small: "8px", base: "12px", large: "16px", "large-100": "20px" };

  function define(tag, template, update, extra) {
    var Element = class extends HTMLElement {
      static get observedAttributes() {
        return ["heading", "tone", "direction", "gap", "alignitems", "href", "target", "label", "disabled", "loading", "type", "color", "accessibilitylabel", "rows", "maxlength"];
      }
      constructor() {
        super();
        this.attachShadow({ mode: "open" }).innerHTML = "<style>" + STYLE + template.style + "</style>" + template.html;
      }
      connectedCallback() {
        if (update) update(this, this.shadowRoot);
      }
      attributeChangedCallback() {
        if (update) update(this, this.shadowRoot);
      }
    };
    if (extra) extra(Element);
    customElements.define(tag, Element);
  }
  var attr = function (el, name, fallback) {
    var value = el.getAttribute(name);
    return value === null ? fallback : value;
  };
  var tone = function (el) {
    return TONES[attr(el, "tone", "neutral")] || TONES.neutral;
  };

  define(
    "s-admin-block",
    {
      style:
        ":host{display:block;background:#fff;border-radius:12px;box-shadow:0 1px 0 rgba(26,26,26,.07),0 0 0 1px rgba(26,26,26,.08);padding:16px;margin:0 0 16px}" +
        "h2{font-size:14px;font-weight:650;margin:0 0 12px;color:#303030}",
      html: "<h2></h2><slot></slot>",
    },
    function (el, root) {
      root.querySelector("h2").textContent = attr(el, "heading", "");
    },
  );
  define(
    "s-admin-action",
    {
      style:
        ":host{display:block;background:#fff;border-radius:12px;box-shadow:0 4px 24px rgba(0,0,0,.18);max-width:620px;margin:0 auto}" +
        "header{padding:16px;border-bottom:1px solid #e3e3e3;font-weight:650;font-size:14px}" +
        ".body{padding:16px}.bar{height:3px;background:linear-gradient(90deg,#303030 30%,transparent 30%);display:none}" +
        ":host([loading]) .bar{display:block}" +
        "footer{display:flex;justify-content:flex-end;gap:8px;padding:12px 16px;border-top:1px solid #e3e3e3}",
      html: '<header><span class="heading"></span></header><div class="bar" role="progressbar"></div><div class="body"><slot></slot></div><footer><slot name="secondary-actions"></slot><slot name="primary-action"></slot></footer>',
    },
    function (el, root) {
      root.querySelector(".heading").textContent = attr(el, "heading", "");
    },
  );
  define(
    "s-stack",
    { style: ":host{display:flex;flex-direction:column}", html: "<slot></slot>" },
    function (el) {
      var inline = attr(el, "direction", "block") === "inline";
      el.style.flexDirection = inline ? "row" : "column";
      el.style.flexWrap = inline ? "wrap" : "nowrap";
      el.style.gap = GAPS[attr(el, "gap", "none")] || "0";
      el.style.alignItems = attr(el, "alignitems", inline ? "center" : "stretch");
    },
  );
  define(
    "s-text",
    { style: ":host{display:inline;font-size:13px;color:#303030}:host([type=strong]){font-weight:600}:host([color=subdued]){color:#616161}", html: "<slot></slot>" },
  );
  define("s-heading", { style: ":host{display:block;font-size:13px;font-weight:650;color:#303030}", html: "<slot></slot>" });
  define(
    "s-badge",
    { style: ":host{display:inline-block;font-size:12px;font-weight:550;border-radius:8px;padding:2px 8px}", html: "<slot></slot>" },
    function (el) {
      var colours = tone(el);
      el.style.background = colours[0];
      el.style.color = colours[1];
    },
  );
  define("s-chip", { style: ":host{display:inline-block;font-size:12px;border:1px solid #c9c9c9;border-radius:8px;padding:1px 8px;color:#303030}", html: "<slot></slot>" });
  define(
    "s-link",
    { style: "a{color:#005bd3;font-size:13px;text-decoration:underline}", html: '<a rel="noopener noreferrer"><slot></slot></a>' },
    function (el, root) {
      var a = root.querySelector("a");
      a.href = attr(el, "href", "");
      a.target = attr(el, "target", "");
    },
  );
  define("s-divider", { style: ":host{display:block;border-top:1px solid #e3e3e3}", html: "" });
  define(
    "s-spinner",
    {
      style: ":host{display:inline-block;width:20px;height:20px}div{width:16px;height:16px;border:2px solid #c9c9c9;border-top-color:#303030;border-radius:50%;animation:r 1s linear infinite}@keyframes r{to{transform:rotate(360deg)}}",
      html: '<div role="status"></div>',
    },
    function (el, root) {
      root.querySelector("div").setAttribute("aria-label", attr(el, "accessibilitylabel", "Loading"));
    },
  );
  define(
    "s-banner",
    { style: ":host{display:block;border-radius:8px;padding:10px 12px;font-size:13px}", html: '<div role="status"><slot></slot></div>' },
    function (el, root) {
      var colours = tone(el);
      el.style.background = colours[0];
      el.style.color = colours[1];
      root.querySelector("div").setAttribute("role", attr(el, "tone", "") === "critical" ? "alert" : "status");
    },
  );
  define(
    "s-button",
    {
      style:
        "button{font:inherit;font-size:13px;font-weight:550;border-radius:8px;padding:6px 12px;border:1px solid #c9c9c9;background:#fff;color:#303030;cursor:pointer}" +
        ":host([variant=primary]) button{background:#303030;color:#fff;border-color:#303030}button:disabled{opacity:.5;cursor:default}",
      html: "<button type=button><slot></slot></button>",
    },
    function (el, root) {
      root.querySelector("button").disabled = el.hasAttribute("disabled") || el.hasAttribute("loading");
    },
  );
  define(
    "s-text-area",
    {
      style: "label{display:block;font-size:13px;color:#303030}textarea{display:block;box-sizing:border-box;width:100%;margin-top:4px;font:inherit;font-size:13px;border:1px solid #8a8a8a;border-radius:8px;padding:6px 8px}",
      html: "<label><span></span><textarea></textarea></label>",
    },
    function (el, root) {
      root.querySelector("span").textContent = attr(el, "label", "");
      var area = root.querySelector("textarea");
      area.rows = Number(attr(el, "rows", "3"));
      if (el.hasAttribute("maxlength")) area.maxLength = Number(el.getAttribute("maxlength"));
      area.disabled = el.hasAttribute("disabled");
    },
    function (Element) {
      Object.defineProperty(Element.prototype, "value", {
        get: function () {
          return this.shadowRoot.querySelector("textarea").value;
        },
        set: function (value) {
          var area = this.shadowRoot.querySelector("textarea");
          if (area.value !== value) area.value = value == null ? "" : value;
        },
      });
    },
  );

  // ---- load the locales, set up `shopify`, run the module ----------------------------------------------
  function loadMessages(name) {
    return nativeFetch(config.localesUrl + "/" + name + ".json").then(function (response) {
      return response.ok ? response.json() : {};
    });
  }
  // Shopify's locale files: en.default.json is the default (and English); others are <locale>.json.
  Promise.all([config.locale === "en" ? Promise.resolve({}) : loadMessages(config.locale), loadMessages("en.default")])
    .then(function (loaded) {
      window.shopify = {
        extension: { target: config.target },
        data: { selected: [{ id: config.selectedId }] },
        i18n: makeI18n(loaded[0], loaded[1], config.locale),
        auth: { idToken: idToken },
        close: function () {
          window.__adminHost.closed = true;
          document.documentElement.dataset.closed = "1";
        },
        navigation: {
          navigate: function (url) {
            window.__adminHost.navigatedTo = String(url);
          },
        },
        query: function () {
          return Promise.reject(new Error("The sandbox's admin host stand-in does not provide direct Admin API access."));
        },
      };
      return import(config.bundleUrl);
    })
    .then(function (module) {
      return module.default();
    })
    .then(function () {
      document.documentElement.dataset.extensionRendered = "1";
    })
    .catch(function (error) {
      document.documentElement.dataset.extensionFailed = String((error && error.message) || error);
      throw error;
    });
})();
