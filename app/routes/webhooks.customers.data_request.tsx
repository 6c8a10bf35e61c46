import type { ActionFunctionArgs } from "@remix-run/node";
import { customerDataRequestPayload, exportCustomerData } from "../services/compliance.server";
import { answerShopifyWebhook, lifecycle, verifyShopifyWebhook } from "../webhooks/shopify-lifecycle.server";

// customers/data_request (mandatory): prepare the export the merchant downloads from /data-exports.
export const action = async ({ request }: ActionFunctionArgs) => {
  const webhook = await verifyShopifyWebhook(request);
  return answerShopifyWebhook(webhook, customerDataRequestPayload, (payload) =>
    exportCustomerData(lifecycle().compliance, { shop: webhook.shop, customer: payload.customer, dataRequestId: payload.data_request.id }),
  );
};
