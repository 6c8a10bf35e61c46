/**
 * A signed-in shopper's customer, by the id their signed storefront identity carries: the same
 * fields as the email look-up, so notes, VIP rules and alerts read one shape.
 */
export const CUSTOMER_BY_ID_QUERY = `#graphql
  query CustomerById($id: ID!) {
    customer(id: $id) {
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
`;
