/**
 * **assumed**: where an agent opens a conversation in Oscar's web app. The public material gives no
 * URL scheme; this is the one place to change it.
 */
export const OSCAR_APP_BASE = "https://app.oscarchat.ai";

export const oscarConversationUrl = (conversationId: string) => `${OSCAR_APP_BASE}/conversations/${encodeURIComponent(conversationId)}`;
