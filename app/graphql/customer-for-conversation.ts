/**
 * Who the shopper in a new conversation is: found by email, with their totals, tags and last five
 * orders (status, total, tracking). One query, so one enrichment costs one Admin API call.
 */
export const CUSTOMER_FOR_CONVERSATION_QUERY = `#graphql
  query CustomerForConversation($query: String!) {
    customers(first: 1, query: $query) {
      nodes {
        id
        displayName
        numberOfOrders
        amountSpent {
          amount
          currencyCode
        }
        tags
        createdAt
        orders(first: 5, sortKey: PROCESSED_AT, reverse: true) {
          nodes {
            id
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
            fulfillments(first: 5) {
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
  }
`;
