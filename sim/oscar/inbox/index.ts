import { randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { OscarSimState } from "../state";
import { INBOX_ACTIONS, isInboxAction, runInboxAction } from "./actions";
import { FAVICON_SVG, INBOX_CSS, LIVE_JS } from "./assets";
import { conversationPage, liveParts, type FormState } from "./conversation-page";
import { html } from "./html";
import { conversationIdsIn, type CapturedSlackMessage } from "./inbox-data";
import { conversationPath, INBOX_PATH, page } from "./layout";
import { conversationListPage } from "./list-page";
import { slackPage } from "./slack-page";

export type { CapturedSlackMessage } from "./inbox-data";

/**
 * The agent inbox the simulator serves under /inbox: what agents see of the app's work (notes,
 * labels, assignee, contact attributes, Slack alerts) and the actions they take, each producing the
 * webhook Oscar would send.
 */

// Pages load only their own stylesheet and script; the forms post only here.
const SECURITY_HEADERS = {
  "content-security-policy": "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cache-control": "no-store",
};
// A form is a few kilobytes; anything far larger is not one.
const MAX_FORM_BYTES = 64 * 1024;
const ASSETS: Record<string, { type: string; body: string }> = {
  [`${INBOX_PATH}/assets/inbox.css`]: { type: "text/css; charset=utf-8", body: INBOX_CSS },
  [`${INBOX_PATH}/assets/live.js`]: { type: "text/javascript; charset=utf-8", body: LIVE_JS },
  [`${INBOX_PATH}/assets/favicon.svg`]: { type: "image/svg+xml", body: FAVICON_SVG },
};
const ACTION_PATH = /^\/inbox\/conversations\/([^/]+)\/([a-z]+)$/;
const CONVERSATION_PATH = /^\/inbox\/conversations\/([^/]+)$/;
const LIVE_PATH = /^\/inbox\/conversations\/([^/]+)\/live$/;

export function createAgentInbox({ state, slackMessages }: { state: OscarSimState; slackMessages: () => CapturedSlackMessage[] }) {
  // One token per simulator process, in every form: a page elsewhere cannot know it, so it cannot post here.
  const formToken = randomBytes(24).toString("base64url");
  const tokenMatches = (given: string | undefined) => {
    const a = Buffer.from(given ?? "");
    const b = Buffer.from(formToken);
    return a.length === b.length && timingSafeEqual(a, b);
  };
  const alertsAbout = (conversationId: string) => slackMessages().filter((m) => conversationIdsIn(m).includes(conversationId));
  const conversationNamed = (encoded: string) => {
    try {
      return state.conversation(decodeURIComponent(encoded));
    } catch {
      return undefined;
    }
  };

  function sendPage(res: ServerResponse, status: number, body: string) {
    res.writeHead(status, { ...SECURITY_HEADERS, "content-type": "text/html; charset=utf-8" }).end(body);
  }
  function sendProblem(res: ServerResponse, status: number, title: string, sentence: string) {
    sendPage(res, status, page({ title, section: "conversations", body: html`<h1>${title}</h1><p>${sentence}</p><p><a href="${INBOX_PATH}">Back to the conversations</a></p>` }));
  }

  async function answer(req: IncomingMessage, res: ServerResponse, url: URL): Promise<number> {
    const method = req.method ?? "GET";
    const path = url.pathname.replace(/\/$/, "") || "/";
    const asset = method === "GET" ? ASSETS[path] : undefined;
    if (asset) {
      res.writeHead(200, { ...SECURITY_HEADERS, "content-type": asset.type }).end(asset.body);
      return 200;
    }
    if (method === "GET" && path === INBOX_PATH) {
      const pageNumber = Number(url.searchParams.get("page") ?? "1");
      sendPage(res, 200, conversationListPage(state, url.searchParams.get("workspace"), Number.isSafeInteger(pageNumber) && pageNumber > 0 ? pageNumber : 1));
      return 200;
    }
    if (method === "GET" && path === `${INBOX_PATH}/slack`) {
      sendPage(res, 200, slackPage(state, slackMessages()));
      return 200;
    }
    const live = LIVE_PATH.exec(path);
    if (method === "GET" && live) {
      const conversation = conversationNamed(live[1]);
      if (!conversation) return notFound(res);
      res.writeHead(200, { ...SECURITY_HEADERS, "content-type": "application/json" }).end(JSON.stringify(liveParts(state, conversation, alertsAbout(conversation.id))));
      return 200;
    }
    const shown = CONVERSATION_PATH.exec(path);
    if (method === "GET" && shown) {
      const conversation = conversationNamed(shown[1]);
      if (!conversation) return notFound(res);
      const done = url.searchParams.get("done");
      const form: FormState = {
        actingAgentId: url.searchParams.get("as") ?? undefined,
        // Only the action's fixed sentence is shown, never text from the URL.
        done: done && isInboxAction(done) ? INBOX_ACTIONS[done].done : undefined,
      };
      sendPage(res, 200, conversationPage(state, conversation, alertsAbout(conversation.id), formToken, form));
      return 200;
    }
    const action = ACTION_PATH.exec(path);
    if (method === "POST" && action && isInboxAction(action[2])) {
      const conversation = conversationNamed(action[1]);
      if (!conversation) return notFound(res);
      const fields = await readForm(req);
      if (fields === "too-large") {
        sendProblem(res, 413, "Too long", "That form was larger than any message the inbox takes.");
        return 413;
      }
      if (fields === "not-a-form") {
        sendProblem(res, 415, "Not a form", "Send the inbox's forms as application/x-www-form-urlencoded.");
        return 415;
      }
      if (!tokenMatches(fields.token)) {
        sendProblem(res, 403, "Form expired", "This form did not come from this inbox (or the simulator restarted): reload the conversation and try again.");
        return 403;
      }
      const outcome = runInboxAction(state, conversation, action[2], fields);
      if (!outcome.ok) {
        // Nothing typed is lost: the page comes back with the sentence and the drafts.
        const form: FormState = { error: outcome.error, actingAgentId: fields.agentId, reply: fields.reply, note: fields.note, reason: fields.reason };
        sendPage(res, 400, conversationPage(state, conversation, alertsAbout(conversation.id), formToken, form));
        return 400;
      }
      const back = new URLSearchParams({ done: action[2], ...(fields.agentId ? { as: fields.agentId } : {}) });
      res.writeHead(303, { ...SECURITY_HEADERS, location: `${conversationPath(conversation.id)}?${back}` }).end();
      return 303;
    }
    if (method !== "GET" && method !== "POST") {
      res.writeHead(405, { ...SECURITY_HEADERS, allow: "GET, POST" }).end();
      return 405;
    }
    return notFound(res);
  }

  function notFound(res: ServerResponse): number {
    sendProblem(res, 404, "Not found", "There is no such page or conversation in this simulator.");
    return 404;
  }

  return {
    handles: (url: URL) => url.pathname === INBOX_PATH || url.pathname.startsWith(`${INBOX_PATH}/`),
    answer,
  };
}

async function readForm(req: IncomingMessage): Promise<Record<string, string> | "too-large" | "not-a-form"> {
  if (!(req.headers["content-type"] ?? "").toLowerCase().startsWith("application/x-www-form-urlencoded")) {
    req.resume();
    return "not-a-form";
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_FORM_BYTES) return "too-large";
    chunks.push(chunk as Buffer);
  }
  // The first value of each field: a repeated field cannot smuggle a second meaning.
  const fields: Record<string, string> = Object.create(null);
  for (const [name, value] of new URLSearchParams(Buffer.concat(chunks).toString("utf8"))) if (!Object.hasOwn(fields, name)) fields[name] = value;
  return fields;
}
