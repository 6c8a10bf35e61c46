import type { OscarSimState, SimConversation } from "../state";
import { html } from "./html";
import { accountsWithConversations, assigneeName, authorOf, contactName, excerpt, formatTime, lastPublicMessage } from "./inbox-data";
import { conversationPath, INBOX_PATH, page } from "./layout";

/** Conversations per page and account: the sandbox's weeks of history would otherwise make one endless page. */
export const CONVERSATIONS_PER_PAGE = 50;

/** GET /inbox: every account's conversations, newest first; with several accounts, one section each and a filter. */
export function conversationListPage(state: OscarSimState, workspaceFilter: string | null, pageNumber = 1): string {
  const all = accountsWithConversations(state);
  const shown = workspaceFilter ? all.filter(({ account }) => account.workspace.id === workspaceFilter) : all;
  const filter =
    all.length > 1
      ? html`<nav aria-label="Accounts" class="filter"><ul>
<li><a href="${INBOX_PATH}"${workspaceFilter ? "" : html` aria-current="page"`}>All accounts</a></li>
${all.map(({ account }) => html`<li><a href="${INBOX_PATH}?workspace=${encodeURIComponent(account.workspace.id)}"${account.workspace.id === workspaceFilter ? html` aria-current="page"` : ""}>${account.workspace.name}</a></li>`)}
</ul></nav>`
      : "";
  const first = (pageNumber - 1) * CONVERSATIONS_PER_PAGE;
  const sections = shown.map(({ account, conversations }) => {
    const onPage = conversations.slice(first, first + CONVERSATIONS_PER_PAGE);
    return html`<section class="account" aria-labelledby="account-${account.workspace.id}">
<h2 id="account-${account.workspace.id}">${account.workspace.name} <span class="muted">(${conversations.length} ${conversations.length === 1 ? "conversation" : "conversations"})</span></h2>
${onPage.length ? html`<ul class="conversation-list">${onPage.map((c) => conversationRow(state, c))}</ul>` : html`<p>${conversations.length ? "No conversations on this page." : "No conversations yet."}</p>`}
</section>`;
  });
  const pages = Math.max(1, ...shown.map(({ conversations }) => Math.ceil(conversations.length / CONVERSATIONS_PER_PAGE)));
  const pageLink = (n: number) => `${INBOX_PATH}?${new URLSearchParams({ ...(workspaceFilter ? { workspace: workspaceFilter } : {}), page: String(n) })}`;
  const pager =
    pages > 1
      ? html`<nav aria-label="Pages" class="pager"><ul>
${pageNumber > 1 ? html`<li><a href="${pageLink(pageNumber - 1)}">Newer conversations</a></li>` : ""}
<li>Page ${pageNumber} of ${pages}</li>
${pageNumber < pages ? html`<li><a href="${pageLink(pageNumber + 1)}">Older conversations</a></li>` : ""}
</ul></nav>`
      : "";
  const body = html`<h1>Conversations</h1>
${filter}
${shown.length ? sections : html`<p>No account yet: the app has not called the simulator with a key.</p>`}
${pager}`;
  return page({ title: "Conversations", section: "conversations", body });
}

function conversationRow(state: OscarSimState, conversation: SimConversation) {
  const contact = state.contact(conversation.contactId);
  const name = contactName(state, conversation);
  const last = lastPublicMessage(conversation);
  const assignee = assigneeName(state, conversation);
  return html`<li class="conversation-row">
<div class="row-main">
<a class="row-link" href="${conversationPath(conversation.id)}">${name}</a>
${contact?.email && contact.email !== name ? html`<span class="muted">${contact.email}</span>` : ""}
<p class="excerpt">${last ? html`<span class="visually-hidden">Last message, from the ${authorOf(last)}: </span>${excerpt(last.content)}` : html`<span class="muted">No messages yet</span>`}</p>
</div>
<div class="row-meta">
<span class="badge status-${conversation.status}">${conversation.status === "open" ? "Open" : "Resolved"}</span>
${conversation.escalations.length ? html`<span class="badge escalated">Handed to a human</span>` : ""}
${conversation.labels.map((label) => html`<span class="badge label">${label}</span>`)}
<span class="assignee">${assignee ? `Assigned to ${assignee}` : "Unassigned"}</span>
<time datetime="${new Date(conversation.createdAt).toISOString()}">${formatTime(conversation.createdAt)}</time>
</div>
</li>`;
}
