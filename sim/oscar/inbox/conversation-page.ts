import { createHash } from "node:crypto";
import type { OscarSimState, SimConversation, SimMessage } from "../state";
import { renderAppHtml, renderPlainText } from "./app-html";
import { html, trusted, type Html } from "./html";
import { assigneeName, authorName, authorOf, contactName, formatTime, slackChannelOf, type CapturedSlackMessage } from "./inbox-data";
import { conversationPath, page } from "./layout";
import { renderMarkdown } from "./markdown";
import { renderSlackMessage } from "./slack-blocks";

/** What a failed form leaves on the page: the sentence, and what was typed (nothing typed is lost). */
export type FormState = { error?: string; done?: string; actingAgentId?: string; reply?: string; note?: string; reason?: string };

/** The parts of the conversation page that change while an agent looks at it (polled by live.js). */
export function liveParts(state: OscarSimState, conversation: SimConversation, alerts: CapturedSlackMessage[]) {
  const parts = {
    messages: messagesHtml(state, conversation).value,
    details: detailsHtml(state, conversation).value,
    slack: slackAlertsHtml(alerts).value,
  };
  const version = createHash("sha256").update(JSON.stringify(parts)).digest("base64url").slice(0, 16);
  return { version, ...parts };
}

export function conversationPage(state: OscarSimState, conversation: SimConversation, alerts: CapturedSlackMessage[], token: string, form: FormState): string {
  const contact = state.contact(conversation.contactId);
  const name = contactName(state, conversation);
  const parts = liveParts(state, conversation, alerts);
  const body = html`<p class="breadcrumb"><a href="/inbox">All conversations</a></p>
<h1>${name}</h1>
<p class="muted">${contact?.email && contact.email !== name ? `${contact.email} · ` : ""}conversation ${conversation.id} · started ${formatTime(conversation.createdAt)}</p>
${form.error ? html`<p class="notice error" role="alert">${form.error}</p>` : ""}
<p class="notice done" role="status">${form.done ?? ""}</p>
<div class="conversation" data-live-url="${conversationPath(conversation.id)}/live" data-live-version="${parts.version}">
<section class="thread" aria-labelledby="messages-heading">
<h2 id="messages-heading">Messages</h2>
<div id="live-messages">${trusted(parts.messages)}</div>
${composeForm(state, conversation, token, form)}
</section>
<aside class="side">
<div id="live-details">${trusted(parts.details)}</div>
${actionForms(state, conversation, token, form)}
<section aria-labelledby="slack-heading">
<h2 id="slack-heading">Slack alerts</h2>
<div id="live-slack">${trusted(parts.slack)}</div>
</section>
</aside>
</div>`;
  return page({ title: `Conversation with ${name}`, section: "conversations", body, script: "live.js" });
}

function messageBody(message: SimMessage): Html {
  if (message.contentType === "markdown") return trusted(renderMarkdown(message.content));
  if (message.contentType === "html") return trusted(renderAppHtml(message.content));
  return trusted(renderPlainText(message.content));
}

const AUTHOR_ROLES = { shopper: "shopper", bot: "bot", agent: "agent", app: "app" } as const;

function messagesHtml(state: OscarSimState, conversation: SimConversation): Html {
  if (conversation.messages.length === 0) return html`<p class="muted">No messages yet.</p>`;
  return html`${conversation.messages.map((message) => {
    const author = authorOf(message);
    return html`<article class="message author-${author}${message.private ? " private" : ""}" data-author="${author}"${message.private ? html` data-private="true"` : ""} aria-label="${message.private ? "Private note" : "Message"} from ${authorName(state, conversation, message)}">
<header><span class="author">${authorName(state, conversation, message)}</span> <span class="muted">(${AUTHOR_ROLES[author]})</span>${message.private ? html` <span class="badge private-tag">Private note</span>` : ""} <time datetime="${new Date(message.createdAt).toISOString()}">${formatTime(message.createdAt)}</time></header>
<div class="message-body">${messageBody(message)}</div>
</article>`;
  })}`;
}

function attributeValue(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value) ?? String(value);
}

function detailsHtml(state: OscarSimState, conversation: SimConversation): Html {
  const contact = state.contact(conversation.contactId);
  const assignee = assigneeName(state, conversation);
  const attributes = Object.entries(contact?.customAttributes ?? {});
  return html`<section aria-labelledby="details-heading">
<h2 id="details-heading">Conversation</h2>
<dl class="facts">
<div><dt>Status</dt><dd><span class="badge status-${conversation.status}" data-testid="conversation-status">${conversation.status === "open" ? "Open" : "Resolved"}</span>${conversation.csatScore !== null ? ` (CSAT ${conversation.csatScore})` : ""}</dd></div>
<div><dt>Assignee</dt><dd><span data-testid="conversation-assignee">${assignee ?? "Unassigned"}</span></dd></div>
<div><dt>Labels</dt><dd><ul class="labels" data-testid="conversation-labels">${conversation.labels.map((label) => html`<li class="badge label">${label}</li>`)}</ul>${conversation.labels.length ? "" : html`<span class="muted">None</span>`}</dd></div>
<div><dt>Escalations</dt><dd>${
    conversation.escalations.length
      ? html`<ul class="escalations" data-testid="conversation-escalations">${conversation.escalations.map((e) => html`<li><span class="badge escalated">Handed to a human</span> ${e.reason} <time datetime="${new Date(e.at).toISOString()}">${formatTime(e.at)}</time></li>`)}</ul>`
      : html`<span class="muted">None</span>`
  }</dd></div>
</dl>
</section>
<section aria-labelledby="contact-heading">
<h2 id="contact-heading">Contact attributes</h2>
<dl class="facts attributes" data-testid="contact-attributes">
<div><dt>Name</dt><dd>${contact?.name ?? "—"}</dd></div>
<div><dt>Email</dt><dd>${contact?.email ?? "—"}</dd></div>
${attributes.map(([name, value]) => html`<div><dt>${name}</dt><dd>${attributeValue(value)}</dd></div>`)}
</dl>
</section>`;
}

function slackAlertsHtml(alerts: CapturedSlackMessage[]): Html {
  if (alerts.length === 0) return html`<p class="muted">No Slack alert about this conversation.</p>`;
  return html`${alerts.map((alert) => slackMessageArticle(alert))}`;
}

/** One captured Slack message as Slack shows it, with where and when it was posted. */
export function slackMessageArticle(message: CapturedSlackMessage, extra: Html | "" = ""): Html {
  return html`<article class="slack-message" data-testid="slack-message" aria-label="Slack message to ${slackChannelOf(message)}">
<p class="muted">#${slackChannelOf(message)} · <time datetime="${new Date(message.at).toISOString()}">${formatTime(message.at)}</time></p>
${trusted(renderSlackMessage(message.body))}
${extra}
</article>`;
}

function agentOptions(state: OscarSimState, conversation: SimConversation, selected: string | undefined): Html {
  const agents = state.account(conversation.keyId)?.agents ?? [];
  return html`${agents.map((agent) => html`<option value="${agent.id}"${agent.id === selected ? " selected" : ""}>${agent.name}</option>`)}`;
}

const tokenField = (token: string) => html`<input type="hidden" name="token" value="${token}">`;

function composeForm(state: OscarSimState, conversation: SimConversation, token: string, form: FormState): Html {
  const path = conversationPath(conversation.id);
  return html`<form class="compose" method="post" action="${path}/reply" aria-labelledby="compose-heading">
<h2 id="compose-heading">Write</h2>
${tokenField(token)}
<p><label for="acting-as">Acting as</label>
<select id="acting-as" name="agentId">${agentOptions(state, conversation, form.actingAgentId ?? conversation.assigneeId ?? undefined)}</select></p>
<p><label for="reply">Reply</label> <span class="muted" id="reply-help">the shopper sees it</span>
<textarea id="reply" name="reply" rows="3" aria-describedby="reply-help">${form.reply ?? ""}</textarea></p>
<p><button type="submit">Send reply</button></p>
<p><label for="note">Private note</label> <span class="muted" id="note-help">agents and the app only</span>
<textarea id="note" name="note" rows="3" aria-describedby="note-help">${form.note ?? ""}</textarea></p>
<p><button type="submit" formaction="${path}/note">Add note</button></p>
</form>`;
}

function actionForms(state: OscarSimState, conversation: SimConversation, token: string, form: FormState): Html {
  const path = conversationPath(conversation.id);
  return html`<section aria-labelledby="actions-heading">
<h2 id="actions-heading">Actions</h2>
<form method="post" action="${path}/assign" class="action">
${tokenField(token)}
<label for="assignee">Assignee</label>
<select id="assignee" name="assigneeId">${agentOptions(state, conversation, conversation.assigneeId ?? undefined)}</select>
<button type="submit">Assign</button>
</form>
<form method="post" action="${path}/handover" class="action">
${tokenField(token)}
<label for="reason">Reason</label>
<input id="reason" name="reason" type="text" value="${form.reason ?? "The shopper asked for a human"}" required>
<button type="submit">Hand over to a human</button>
</form>
<form method="post" action="${path}/resolve" class="action">
${tokenField(token)}
<label for="csat">Shopper's rating (CSAT)</label>
<select id="csat" name="csat"><option value="">No rating</option>${[5, 4, 3, 2, 1].map((n) => html`<option value="${n}">${n}</option>`)}</select>
<button type="submit">Resolve</button>
</form>
</section>`;
}
