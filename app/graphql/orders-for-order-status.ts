/**
 * A signed-in shopper's latest orders, for answering "where is my order?" in the chat, and how many
 * they placed in their lifetime: more than are listed means Shopify hides older ones (60-day window).
 */
export const ORDERS_FOR_ORDER_STATUS_QUERY = `#graphql
  query OrdersForOrderStatus($customerId: ID!) {
    customer(id: $customerId) {
      numberOfOrders
      orders(first: 5, sortKey: PROCESSED_AT, reverse: true) {
        nodes {
          name
          processedAt
          displayFinancialStatus
          displayFulfillmentStatus
          totalPriceSet {
            shopMoney {
              amount
              currencyCode
            }
          }
          lineItems(first: 5) {
            nodes {
              title
              quantity
            }
          }
          shippingAddress {
            city
            countryCodeV2
          }
          fulfillments(first: 5) {
            displayStatus
            estimatedDeliveryAt
            trackingInfo(first: 3) {
              number
              url
              company
            }
          }
        }
      }
    }
  }
`;
