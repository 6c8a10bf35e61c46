/**
 * Sends the customer their shipment's tracking again: the fulfillment's own tracking, resubmitted
 * with notifyCustomer, makes Shopify email the shipping update.
 */
export const FULFILLMENT_TRACKING_RESEND_MUTATION = `#graphql
  mutation FulfillmentTrackingResend($fulfillmentId: ID!, $trackingInfoInput: FulfillmentTrackingInput!) {
    fulfillmentTrackingInfoUpdate(fulfillmentId: $fulfillmentId, trackingInfoInput: $trackingInfoInput, notifyCustomer: true) {
      fulfillment {
        id
      }
      userErrors {
        field
        message
      }
    }
  }
`;
