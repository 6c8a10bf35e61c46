import type { ActionFunctionArgs } from "@remix-run/node";
import { answerCollectionWebhook } from "../webhooks/knowledge-webhooks.server";

// collections/create: the collections' knowledge source is brought up to date by the next (debounced) sync.
export const action = ({ request }: ActionFunctionArgs) => answerCollectionWebhook(request);
