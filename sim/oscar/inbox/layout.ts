import { html, type Html } from "./html";

export const INBOX_PATH = "/inbox";
export const conversationPath = (id: string) => `${INBOX_PATH}/conversations/${encodeURIComponent(id)}`;

type Section = "conversations" | "slack";

/** Every inbox page: a title, a skip link, the two-item navigation and the stylesheet; no inline script or style. */
export function page({ title, section, body, script }: { title: string; section: Section; body: Html; script?: string }): string {
  const current = (which: Section) => (which === section ? html` aria-current="page"` : "");
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Oscar agent inbox (simulator)</title>
<link rel="stylesheet" href="${INBOX_PATH}/assets/inbox.css">
<link rel="icon" href="${INBOX_PATH}/assets/favicon.svg" type="image/svg+xml">
</head>
<body>
<a class="skip-link" href="#main">Skip to content</a>
<header class="top">
<p class="brand">Oscar agent inbox <span class="muted">(simulator)</span></p>
<nav aria-label="Inbox"><ul><li><a href="${INBOX_PATH}"${current("conversations")}>Conversations</a></li><li><a href="${INBOX_PATH}/slack"${current("slack")}>Slack messages</a></li></ul></nav>
</header>
<main id="main" tabindex="-1">
${body}
</main>
${script ? html`<script src="${INBOX_PATH}/assets/${script}" defer></script>` : ""}
</body>
</html>
`.value;
}
