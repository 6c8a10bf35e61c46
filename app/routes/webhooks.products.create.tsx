import type { ActionFunctionArgs } from "@remix-run/node";
import { answerProductWebhook } from "../webhooks/knowledge-webhooks.server";

// products/create: the product's knowledge source is brought up to date by the next (debounced) sync.
export const action = ({ request }: ActionFunctionArgs) => answerProductWebhook(request);
