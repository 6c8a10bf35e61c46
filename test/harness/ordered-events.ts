import { Queue } from "bullmq";
import { oscarEventJobId } from "../../app/services/oscar-ingest.server";
import type { OscarSimulator } from "../../sim/oscar/server";
import type { AppStack } from "./app-stack";
import { deliverOscarEvent, oscarWebhookTarget } from "./oscar-webhook";
import { waitFor } from "./wait";

/**
 * Oscar's events for one chat, delivered by the test in the order it chooses: the simulator keeps the
 * conversation (so the app's labels, notes and assignments land somewhere) but sends nothing itself.
 */
export async function orderedOscarEvents(stack: AppStack, oscar: OscarSimulator, oscarKey: string, shop: string) {
  // Without the app's webhook the simulator delivers nothing on its own: every event comes from here.
  for (const webhook of oscar.inspect.webhooks()) {
    const response = await fetch(`${oscar.baseUrl}/webhooks/${webhook.id}`, { method: "DELETE", headers: { authorization: `Bearer ${oscarKey}` } });
    if (response.status !== 204) throw new Error(`could not remove the simulator's webhook: ${response.status}`);
  }
  const target = await oscarWebhookTarget(stack.db, stack.appUrl, shop);
  const queue = new Queue("oscar-events", { connection: { url: stack.env.REDIS_URL }, prefix: stack.env.REDIS_PREFIX });
  let count = 0;

  /** Delivers one signed event and waits until the worker has finished its job. */
  async function deliver(event: { type: string; data: unknown }) {
    const id = `evt_ordered_${Date.now()}_${++count}`;
    const response = await deliverOscarEvent(target.url, JSON.stringify({ id, ...event }), { secret: target.secret });
    if (response.status !== 202) throw new Error(`ingest answered ${response.status}`);
    return id;
  }
  async function processed(id: string) {
    await waitFor(`the ${id} job to complete`, async () => (await (await queue.getJob(oscarEventJobId(shop, id)))?.getState()) === "completed", 30_000);
  }

  return {
    /**
     * A shopper opens a chat and writes `message`; `contact` is what Oscar's events carry (a brand-new
     * contact: only what the widget set). Returns the two events, to deliver in any order.
     */
    openChat({ email, name, message, customAttributes }: { email: string; name: string; message: string; customAttributes: Record<string, unknown> }) {
      const { conversationId, contactId } = oscar.scenario.shopperOpensConversation({ email, name, customAttributes });
      const { messageId } = oscar.scenario.shopperWrites(conversationId, message);
      const contact = { id: contactId, name, email, custom_attributes: customAttributes };
      return {
        conversationId,
        contactId,
        created: { type: "conversation.created", data: { conversation_id: conversationId, contact } },
        message: { type: "message.created", data: { conversation_id: conversationId, message: { id: messageId, content: message, message_type: "incoming", private: false }, contact } },
      };
    },
    /** The same shopper writes again in an open chat: the message.created event, to deliver when the test chooses. */
    shopperWrites(chat: { conversationId: string; message: { data: { contact: unknown } } }, message: string) {
      const { messageId } = oscar.scenario.shopperWrites(chat.conversationId, message);
      const { contact } = chat.message.data;
      return { type: "message.created", data: { conversation_id: chat.conversationId, message: { id: messageId, content: message, message_type: "incoming", private: false }, contact } };
    },
    deliver,
    processed,
    /** Delivers the events one after another, each handled completely before the next arrives. */
    async deliverInOrder(...events: Array<{ type: string; data: unknown }>) {
      for (const event of events) await processed(await deliver(event));
    },
    close: () => queue.close(),
  };
}
