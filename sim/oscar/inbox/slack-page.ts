import type { OscarSimState } from "../state";
import { html } from "./html";
import { contactName, conversationIdsIn, type CapturedSlackMessage } from "./inbox-data";
import { conversationPath, page } from "./layout";
import { slackMessageArticle } from "./conversation-page";

/** GET /inbox/slack: every Slack message the sandbox captured, newest first, linked to its conversation here. */
export function slackPage(state: OscarSimState, messages: CapturedSlackMessage[]): string {
  const newestFirst = [...messages].reverse();
  const body = html`<h1>Slack messages</h1>
<p class="muted">What the app posted to the merchant's Slack (captured by the sandbox's Slack receiver), as Slack shows it.</p>
${
  newestFirst.length
    ? html`<div class="slack-list">${newestFirst.map((message) => {
        const conversations = conversationIdsIn(message).flatMap((id) => {
          const conversation = state.conversation(id);
          return conversation ? [conversation] : [];
        });
        const links = conversations.length
          ? html`<p class="slack-links">In this inbox: ${conversations.map((c) => html`<a href="${conversationPath(c.id)}">conversation with ${contactName(state, c)}</a>`)}</p>`
          : "";
        return slackMessageArticle(message, links);
      })}</div>`
    : html`<p>No Slack message yet.</p>`
}`;
  return page({ title: "Slack messages", section: "slack", body });
}
