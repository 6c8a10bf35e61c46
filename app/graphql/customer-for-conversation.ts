/**
 * Who the shopper in a new conversation is: found by email, with their totals, tags and last five
 * orders (status, total, tracking). One query, so one enrichment costs one Admin API call.
 * Several hits, each with its email: Shopify's search is tokenised, so a hit is only a candidate
 * until its email equals the contact's (https://shopify.dev/docs/api/usage/search-syntax).
 */
export const CUSTOMER_FOR_CONVERSATION_QUERY = `#graphql
  query CustomerForConversation($query: String!) {
    customers(first: 5, query: $query) {
      nodes {
        id
        displayName
        defaultEmailAddress {
          emailAddress
        }
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
