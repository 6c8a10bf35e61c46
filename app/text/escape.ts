/**
 * Text a shopper or a customer record controls (names, tags, order names, tracking numbers, carrier
 * names, messages), made inert for where it lands: an agent note in markdown, a Slack message in
 * mrkdwn, an HTML reply. Links are built only here, and only to https hosts the app chose.
 */

// Line breaks of every kind (CRLF, CR, LF, VT, FF, NEL, LS, PS): one would start a fake line.
const LINE_BREAKS = /\r\n|[\n\r\v\f\u0085\u2028\u2029]/g;
// Other control characters and bidi overrides, which could make a value read as something else.
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u0008\u000e-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g;
// CommonMark lets a backslash escape every ASCII punctuation character, and an escaped one is always
// literal text: no emphasis, links, images, headings, lists, tables, HTML or GFM autolinks
// (`www\.x\.com` and `a\@b\.c` are not linked by cmark-gfm or markdown-it).
const MARKDOWN_PUNCTUATION = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/g;

/** One line of text, with no way to break out of it. */
export function singleLine(text: string): string {
  return text.replace(LINE_BREAKS, " ").replace(INVISIBLE, "");
}

/**
 * Shopper-controlled text for a markdown note (table cells included), shown literally on one line.
 * **assumed**: Oscar renders `content_type: "markdown"` as CommonMark with GFM tables and autolinks
 * (shared/oscar-api.md names the type only); escaping every ASCII punctuation mark is safe under both.
 */
export function escapeMarkdown(text: string): string {
  return singleLine(text).replace(MARKDOWN_PUNCTUATION, "\\$&");
}

/**
 * Text for Slack mrkdwn (`text` and blocks). Slack's "Formatting text for app surfaces" asks for
 * exactly these three to be escaped, which stops links (`<url|label>`) and mentions (`<!channel>`).
 */
export function escapeSlack(text: string): string {
  return text.replace(INVISIBLE, "").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** One value in a Slack field: escaped, and on one line so it cannot add a fake field. */
export const escapeSlackLine = (text: string) => escapeSlack(singleLine(text));

/** A shopper's message as a Slack block quote: every line stays inside the quote. */
export const slackQuote = (text: string) => `>${escapeSlack(text).replace(LINE_BREAKS, "\n>")}`;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The Shopify admin, the only place the app links a note's customer and orders to. */
export const SHOPIFY_ADMIN_HOSTS: readonly string[] = ["admin.shopify.com"];

/**
 * Carriers' public tracking sites. A tracking URL on an order is whatever the merchant or a
 * fulfilment app stored, so only these hosts become links. The carriers are those Shopify builds
 * tracking URLs for (shopify.dev, Admin GraphQL `FulfillmentTrackingInfo`, "Supported tracking
 * companies"); each host is that carrier's own tracking site. Others are shown as plain text.
 */
export const CARRIER_TRACKING_HOSTS: readonly string[] = [
  "www.ups.com", // UPS
  "tools.usps.com", // USPS
  "www.fedex.com", // FedEx
  "www.dhl.com", // DHL Express
  "www.dhl.de", // Deutsche Post / DHL Paket
  "webtrack.dhlecs.com", // DHL eCommerce
  "www.canadapost-postescanada.ca", // Canada Post
  "www.purolator.com", // Purolator
  "www.royalmail.com", // Royal Mail
  "www.evri.com", // Evri
  "track.dpd.co.uk", // DPD UK
  "auspost.com.au", // Australia Post
  "www.laposte.fr", // Colissimo / La Poste
  "www.chronopost.fr", // Chronopost
  "jouw.postnl.nl", // PostNL
  "www.postnord.se", // PostNord
  "www.correos.es", // Correos
  "www.poste.it", // Poste Italiane
  "track.aftership.com", // AfterShip, used by Shopify for carriers without their own page
];

/**
 * The URL, normalised, when it is https to one of `hosts` with no credentials in it; otherwise null.
 * Parentheses and spaces are percent-encoded so the result is safe as a markdown link destination.
 */
export function allowedUrl(url: string | null | undefined, hosts: readonly string[]): string | null {
  if (!url) return null;
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return null;
  }
  if (parsed.protocol !== "https:" || parsed.username || parsed.password || parsed.port) return null;
  if (!hosts.includes(parsed.hostname.toLowerCase())) return null;
  return parsed.href.replace(/[()\s]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
}

export const trackingUrl = (url: string | null | undefined) => allowedUrl(url, CARRIER_TRACKING_HOSTS);

/** A markdown link when the URL is allowed, the escaped label alone otherwise. */
export function markdownLink(label: string, url: string | null | undefined, hosts: readonly string[]): string {
  const href = allowedUrl(url, hosts);
  return href ? `[${escapeMarkdown(label)}](${href})` : escapeMarkdown(label);
}
